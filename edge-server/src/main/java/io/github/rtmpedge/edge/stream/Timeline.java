package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;

/**
 * Keeps a stream's outgoing timestamps monotonic across source sessions and across jumps back
 * within one. The first session's timestamps pass unchanged; a later session (upstream
 * reconnected, publisher came back) is rebased so that it continues a little after the last
 * timestamp sent.
 *
 * <p>Within a session each track is clamped so that it never goes backwards, which absorbs small
 * backward steps. A track that jumps back by more than {@link #MAX_BACKWARD_STEP} (a source whose
 * clock restarted, a 32-bit wrap, a hostile publisher) is a discontinuity: clamping it would give
 * every later frame the same timestamp and freeze the players, so the track is rebased to continue
 * a little after the last timestamp sent, as for a new session. When the other track then jumps
 * too it takes the same new offset if that lands it near where it was, so audio and video stay in
 * step. Headers and data messages follow the most recent offset.
 *
 * <p>A rebase continues after the latest <em>presentation</em> time sent, not only the latest
 * decode time: a video frame's presentation time is its timestamp plus its composition time, and a
 * source cut off after a frame shown later than frames still to come (B-frames) would otherwise
 * have the next session's first frames presented before it, which players see as time going back.
 */
final class Timeline {

    /** Space left between the last timestamp of one session and the first of the next, ms. */
    static final long SESSION_GAP = 40;

    /** A track stepping back further than this, ms, is rebased rather than clamped. */
    static final long MAX_BACKWARD_STEP = 1000;

    /** The offset set by the latest rebase; headers and data use it, and a jumping track tries it first. */
    private long offset;

    private final Track audio = new Track();
    private final Track video = new Track();
    private boolean rebaseOnNext;
    private long lastOut = -1;
    /** The latest presentation time sent: a timestamp plus its composition time. */
    private long lastPresented = -1;

    /** One track's own offset (it differs from {@link #offset} until the track has jumped too) and last timestamp. */
    private static final class Track {
        long offset;
        long last = -1;
    }

    /** The next timestamp starts a new source session. */
    void newSession() {
        rebaseOnNext = lastOut >= 0;
    }

    /**
     * Maps an audio or video frame's timestamp: rebased, never below the track's previous one, and
     * rebased again if it jumps back by more than {@link #MAX_BACKWARD_STEP}.
     */
    long map(MediaFrame.Kind kind, long sourceTimestamp) {
        return map(kind, sourceTimestamp, 0);
    }

    /**
     * As {@link #map(MediaFrame.Kind, long)}, for a frame presented {@code compositionTime} ms after
     * its timestamp (FLV's CompositionTime; 0 for audio and for codecs without it).
     */
    long map(MediaFrame.Kind kind, long sourceTimestamp, int compositionTime) {
        Track track = switch (kind) {
            case AUDIO -> audio;
            case VIDEO -> video;
            default -> throw new IllegalArgumentException("frames are audio or video: " + kind);
        };
        startSessionIfDue(sourceTimestamp);
        if (track.last < 0) {
            track.offset = offset;
        }
        long out = shifted(sourceTimestamp, track.offset);
        if (track.last >= 0 && out < track.last - MAX_BACKWARD_STEP) {
            long withLatest = shifted(sourceTimestamp, offset);
            if (withLatest < track.last - MAX_BACKWARD_STEP || withLatest > lastOut + MAX_BACKWARD_STEP) {
                offset = continueAfter() - sourceTimestamp;
            }
            track.offset = offset;
            out = shifted(sourceTimestamp, offset);
        }
        out = Math.max(out, track.last);
        track.last = out;
        lastOut = Math.max(lastOut, out);
        lastPresented = Math.max(lastPresented, out + Math.max(0, compositionTime));
        return out & 0xFFFFFFFFL;
    }

    /**
     * Maps a sequence header's or a data message's timestamp: rebased like the frames, but neither
     * clamped nor advancing a track. A header stamped later than the frame after it (some servers
     * stamp it with the time they send it) must not push that frame's timestamp up, which would give
     * two frames the same timestamp.
     */
    long mapUnordered(long sourceTimestamp) {
        if (rebaseOnNext) {
            // Only a frame starts the new session's offset: origins stamp the data and headers they
            // send on play with 0 while the frames carry the stream's own clock (seconds or hours
            // in), so an offset taken from them would throw every later frame that far ahead.
            return continueAfter() & 0xFFFFFFFFL;
        }
        return shifted(sourceTimestamp, offset) & 0xFFFFFFFFL;
    }

    private void startSessionIfDue(long sourceTimestamp) {
        if (rebaseOnNext) {
            rebaseOnNext = false;
            offset = continueAfter() - sourceTimestamp;
            audio.offset = offset;
            video.offset = offset;
        }
    }

    /** Where a rebased track starts: a little after everything sent so far was presented. */
    private long continueAfter() {
        return Math.max(lastOut, lastPresented) + SESSION_GAP;
    }

    private static long shifted(long sourceTimestamp, long offset) {
        return Math.max(0, sourceTimestamp + offset);
    }

    long lastOut() {
        return lastOut;
    }
}
