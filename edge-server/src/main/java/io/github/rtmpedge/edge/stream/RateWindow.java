package io.github.rtmpedge.edge.stream;

/**
 * A byte rate over the last few seconds, without allocating per sample: one counter per wall-clock
 * second in a small ring (the seconds of the window plus the current, partial one). The rate is
 * the bytes in the ring divided by the time the ring covers, so it is exact from the first
 * second on and follows changes within {@link #WINDOW_SECONDS}. Not thread-safe: confined to the
 * owner's event loop (a stream's, a connection's).
 */
public final class RateWindow {

    /** Whole seconds the rate looks back, besides the current partial second. */
    static final int WINDOW_SECONDS = 5;

    private static final long SECOND = 1_000_000_000L;

    private final long originNanos;
    private final int windowSeconds;
    private final long[] buckets;
    private long currentSecond;

    public RateWindow(long originNanos) {
        this(originNanos, WINDOW_SECONDS);
    }

    /** Looking back {@code windowSeconds} whole seconds (SRS's {@code kbps.*_30s} look back 30). */
    public RateWindow(long originNanos, int windowSeconds) {
        this.originNanos = originNanos;
        this.windowSeconds = windowSeconds;
        this.buckets = new long[windowSeconds + 1];
    }

    public void add(long bytes, long nowNanos) {
        roll(nowNanos);
        buckets[(int) (currentSecond % buckets.length)] += bytes;
    }

    /** Bits per second over the window ending at {@code nowNanos}; 0 before any time has passed. */
    public long bitsPerSecond(long nowNanos) {
        roll(nowNanos);
        long bytes = 0;
        for (long b : buckets) {
            bytes += b;
        }
        long windowStart = Math.max(originNanos, originNanos + (currentSecond - windowSeconds) * SECOND);
        long covered = nowNanos - windowStart;
        return covered <= 0 ? 0 : (long) (bytes * 8.0 * SECOND / covered);
    }

    /** Moves to the second of {@code nowNanos}, emptying the buckets of the seconds passed since. */
    private void roll(long nowNanos) {
        long second = Math.max(0, (nowNanos - originNanos) / SECOND);
        if (second <= currentSecond) {
            return;
        }
        long clear = Math.min(second - currentSecond, buckets.length);
        for (long s = second - clear + 1; s <= second; s++) {
            buckets[(int) (s % buckets.length)] = 0;
        }
        currentSecond = second;
    }
}
