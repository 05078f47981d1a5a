package io.github.rtmpedge.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rtmpedge.config.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** initial 500 ms, ×2, cap 8 s, ±20 %. */
    private static final RetryConfig RETRY = new RetryConfig(Duration.ofMillis(500), Duration.ofSeconds(8), 2.0, 0.2);

    /** A random of 0.5 is the middle of [0, 1): no jitter. */
    private static Backoff noJitter() {
        return new Backoff(RETRY, () -> 0.5);
    }

    @Test
    void zeroFailuresMeansNoDelay() {
        assertEquals(Duration.ZERO, noJitter().delay(0));
    }

    @Test
    void delayGrowsByTheMultiplier() {
        Backoff b = noJitter();
        assertEquals(500, b.delay(1).toMillis());
        assertEquals(1000, b.delay(2).toMillis());
        assertEquals(2000, b.delay(3).toMillis());
        assertEquals(4000, b.delay(4).toMillis());
    }

    @Test
    void delayIsCappedAtMaxBackoff() {
        Backoff b = noJitter();
        assertEquals(8000, b.delay(5).toMillis());
        assertEquals(8000, b.delay(60).toMillis()); // 2^59 × 500 ms would overflow a long; capped first
    }

    @Test
    void lowestRandomGivesMinusJitter() {
        assertEquals(400, new Backoff(RETRY, () -> 0.0).delay(1).toMillis()); // 500 × (1 - 0.2)
    }

    @Test
    void highestRandomGivesAlmostPlusJitter() {
        // random is in [0, 1): just below 1 is just below +20 %
        assertEquals(600, new Backoff(RETRY, () -> 0.999_999).delay(1).toMillis()); // 500 × 1.1999996, rounded
    }

    @Test
    void jitterAppliesAfterTheCap() {
        assertEquals(6400, new Backoff(RETRY, () -> 0.0).delay(10).toMillis()); // 8000 × 0.8
    }
}
