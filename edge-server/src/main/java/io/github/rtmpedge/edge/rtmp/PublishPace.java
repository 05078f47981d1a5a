package io.github.rtmpedge.edge.rtmp;

/**
 * How far a publisher's media time runs ahead of the wall clock since its first audio or video
 * message. A live encoder sends in real time (its lead stays near zero, or negative after a stall);
 * one that sends a file without pacing, or an attacker, runs ahead.
 *
 * <p>Media time follows the highest timestamp seen: audio and video interleave a little out of
 * order, so a small step back is normal and does not count. A step back or forward by more than
 * {@link #DISCONTINUITY_MILLIS} is a discontinuity (an encoder restart, a timestamp wrap), not
 * speed: the position continues from there without counting the jump. No allocation per call.
 */
final class PublishPace {

    /** A timestamp step larger than this (either way) is a discontinuity, not media time. */
    static final long DISCONTINUITY_MILLIS = 10_000;

    /** What {@link #observe} concluded. */
    enum Verdict {
        OK,
        AHEAD,
        TOO_FAR_AHEAD
    }

    private final long warnMillis;
    private final long maxMillis;
    private boolean started;
    private long startNanos;
    private long lastTimestamp;
    private long mediaMillis;
    private boolean warned;

    /** {@code maxMillis} 0 means never too far. */
    PublishPace(long warnMillis, long maxMillis) {
        this.warnMillis = warnMillis;
        this.maxMillis = maxMillis;
    }

    /**
     * One audio or video message with {@code timestamp} (RTMP milliseconds, 32-bit) at {@code nowNanos}.
     * {@link Verdict#AHEAD} is returned once, the first time the lead passes the warning bound;
     * {@link Verdict#TOO_FAR_AHEAD} every time it is past the maximum.
     */
    Verdict observe(long timestamp, long nowNanos) {
        if (!started) {
            started = true;
            startNanos = nowNanos;
            lastTimestamp = timestamp;
            return Verdict.OK;
        }
        long step = (int) (timestamp - lastTimestamp); // signed 32-bit difference: wraps are small steps
        if (step > 0) {
            lastTimestamp = timestamp;
            if (step <= DISCONTINUITY_MILLIS) {
                mediaMillis += step;
            }
        } else if (step < -DISCONTINUITY_MILLIS) {
            lastTimestamp = timestamp; // went back for good: continue from there
        }
        long lead = leadMillis(nowNanos);
        if (maxMillis > 0 && lead > maxMillis) {
            return Verdict.TOO_FAR_AHEAD;
        }
        if (!warned && lead > warnMillis) {
            warned = true;
            return Verdict.AHEAD;
        }
        return Verdict.OK;
    }

    /** Media time sent minus wall-clock time elapsed, ms. */
    long leadMillis(long nowNanos) {
        return mediaMillis - (nowNanos - startNanos) / 1_000_000;
    }
}
