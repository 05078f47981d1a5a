package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandRateLimitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theBurstIsAvailableAtOnceThenTheRateRefillsIt() {
        CommandRateLimit limit = new CommandRateLimit(10, 3, 0);
        assertTrue(limit.tryAcquire(0));
        assertTrue(limit.tryAcquire(0));
        assertTrue(limit.tryAcquire(0));
        assertFalse(limit.tryAcquire(0), "burst of 3 spent");
        assertFalse(limit.tryAcquire(SECOND / 20), "half a token after 50 ms at 10/s");
        assertTrue(limit.tryAcquire(SECOND / 10), "one token after 100 ms");
        assertFalse(limit.tryAcquire(SECOND / 10));
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        CommandRateLimit limit = new CommandRateLimit(1000, 2, 0);
        limit.tryAcquire(0);
        limit.tryAcquire(0);
        long later = 3_600 * SECOND;
        assertTrue(limit.tryAcquire(later));
        assertTrue(limit.tryAcquire(later));
        assertFalse(limit.tryAcquire(later));
    }

    @Test
    void sustainedRateAtTheLimitIsAccepted() {
        CommandRateLimit limit = new CommandRateLimit(50, 1, 0);
        for (int i = 0; i < 500; i++) {
            assertTrue(limit.tryAcquire(i * SECOND / 50), "command " + i);
        }
    }

    @Test
    void zeroMeansNoLimit() {
        CommandRateLimit limit = new CommandRateLimit(0, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limit.tryAcquire(0));
        }
    }

    @Test
    void aClockGoingBackDoesNotMintTokens() {
        CommandRateLimit limit = new CommandRateLimit(10, 1, 5 * SECOND);
        assertTrue(limit.tryAcquire(5 * SECOND));
        assertFalse(limit.tryAcquire(0));
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CommandRateLimit(-1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CommandRateLimit(1, 0, 0));
    }
}
