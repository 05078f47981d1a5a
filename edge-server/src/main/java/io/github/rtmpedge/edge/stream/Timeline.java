package io.github.rtmpedge.edge.stream;

/**
 * Keeps a stream's outgoing timestamps monotonic across source sessions. The first session's
 * timestamps pass unchanged; a later session (upstream reconnected, publisher came back) is
 * rebased so that it continues a little after the last timestamp sent, and each track is clamped
 * so that it never goes backwards.
 */
final class Timeline {

    /** Space left between the last timestamp of one session and the first of the next, ms. */
    static final long SESSION_GAP = 40;

    private long offset;
    private boolean rebaseOnNext;
    private long lastOut = -1;
    private long lastAudio = -1;
    private long lastVideo = -1;

    /** The next timestamp starts a new source session. */
    void newSession() {
        rebaseOnNext = lastOut >= 0;
    }

    /** Maps an audio or video frame's timestamp: rebased, and never below the track's previous one. */
    long map(MediaFrame.Kind kind, long sourceTimestamp) {
        long out = rebased(sourceTimestamp);
        switch (kind) {
            case AUDIO -> {
                out = Math.max(out, lastAudio);
                lastAudio = out;
            }
            case VIDEO -> {
                out = Math.max(out, lastVideo);
                lastVideo = out;
            }
            default -> throw new IllegalArgumentException("frames are audio or video: " + kind);
        }
        lastOut = Math.max(lastOut, out);
        return out & 0xFFFFFFFFL;
    }

    /**
     * Maps a sequence header's or a data message's timestamp: rebased like the frames, but neither
     * clamped nor advancing a track. A header stamped later than the frame after it (some servers
     * stamp it with the time they send it) must not push that frame's timestamp up, which would give
     * two frames the same timestamp.
     */
    long mapUnordered(long sourceTimestamp) {
        return rebased(sourceTimestamp) & 0xFFFFFFFFL;
    }

    private long rebased(long sourceTimestamp) {
        if (rebaseOnNext) {
            rebaseOnNext = false;
            offset = lastOut + SESSION_GAP - sourceTimestamp;
        }
        return Math.max(0, sourceTimestamp + offset);
    }

    long lastOut() {
        return lastOut;
    }
}
