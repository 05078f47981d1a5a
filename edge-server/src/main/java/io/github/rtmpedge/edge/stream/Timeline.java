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

    long map(MediaFrame.Kind kind, long sourceTimestamp) {
        if (rebaseOnNext) {
            rebaseOnNext = false;
            offset = lastOut + SESSION_GAP - sourceTimestamp;
        }
        long out = Math.max(0, sourceTimestamp + offset);
        switch (kind) {
            case AUDIO -> {
                out = Math.max(out, lastAudio);
                lastAudio = out;
            }
            case VIDEO -> {
                out = Math.max(out, lastVideo);
                lastVideo = out;
            }
            default -> out = Math.max(out, 0);
        }
        lastOut = Math.max(lastOut, out);
        return out & 0xFFFFFFFFL;
    }

    long lastOut() {
        return lastOut;
    }
}
