package io.github.rtmpedge.edge.rtmp;

/**
 * A token bucket for one connection's command messages: {@code perSecond} tokens a second, at most
 * {@code burst} saved up (a full bucket to start with). Not thread-safe: one connection, one event loop.
 * No allocation per call.
 */
final class CommandRateLimit {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long perSecond;
    private final long burst;
    /** Tokens, scaled by one second in nanos so that refills need no division per call. */
    private long scaledTokens;

    private long lastNanos;

    /** {@code perSecond} 0 means no limit. */
    CommandRateLimit(int perSecond, int burst, long nowNanos) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("perSecond >= 0 and burst >= 1: " + perSecond + ", " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.scaledTokens = burst * NANOS_PER_SECOND;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one; false means the connection is over its rate. */
    boolean tryAcquire(long nowNanos) {
        if (perSecond == 0) {
            return true;
        }
        long elapsed = Math.max(0, nowNanos - lastNanos);
        lastNanos = nowNanos;
        long cap = burst * NANOS_PER_SECOND;
        // elapsed * perSecond overflows only after ~292 years / perSecond: cap elapsed at what refills the bucket
        long refill = Math.min(elapsed, cap / perSecond + 1) * perSecond;
        scaledTokens = Math.min(cap, scaledTokens + refill);
        if (scaledTokens < NANOS_PER_SECOND) {
            return false;
        }
        scaledTokens -= NANOS_PER_SECOND;
        return true;
    }

    int perSecond() {
        return (int) perSecond;
    }

    int burst() {
        return (int) burst;
    }
}
