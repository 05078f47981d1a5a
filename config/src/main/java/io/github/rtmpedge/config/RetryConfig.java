package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Back-off between attempts to reach an origin ({@code cluster.retry}): the first delay is
 * {@code initialBackoff}, each later one {@code multiplier} times the previous, capped at
 * {@code maxBackoff}, each randomised by +/- {@code jitter} (a fraction, 0..1).
 */
public record RetryConfig(Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

    public RetryConfig {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }
}
