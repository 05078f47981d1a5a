package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.RetryConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits
 * {@code min(max, initial × multiplier^(n-1))}, spread by ±jitter so that many edges do not retry
 * in step.
 */
final class Backoff {

    private final RetryConfig retry;
    private final DoubleSupplier random;

    Backoff(RetryConfig retry, DoubleSupplier random) {
        this.retry = retry;
        this.random = random;
    }

    /** Delay before the attempt that follows {@code failures} consecutive failures (0 → none). */
    Duration delay(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        double base = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), failures - 1);
        double capped = Math.min((double) retry.maxBackoff().toMillis(), base);
        double spread = 1 + retry.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped * spread)));
    }
}
