package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The byte rate over the last seconds, on a clock the test moves. */
class RateWindowTest {

    private static final long MS = 1_000_000L;
    private static final long ORIGIN = 7_000 * MS; // nanoTime has an arbitrary origin

    @Test
    void withinTheFirstSecondTheRateIsOverTheTimeSoFar() {
        RateWindow rate = new RateWindow(ORIGIN);
        rate.add(1_000, ORIGIN + 100 * MS);

        assertEquals(40_000, rate.bitsPerSecond(ORIGIN + 200 * MS)); // 8000 bits in 0.2 s
    }

    @Test
    void aSteadyRateIsMeasuredExactlyOverTheWindow() {
        RateWindow rate = new RateWindow(ORIGIN);
        for (long ms = 0; ms < 20_000; ms += 40) { // 25 messages/s of 500 bytes: 100 kb/s
            rate.add(500, ORIGIN + ms * MS);
        }

        assertEquals(100_000, rate.bitsPerSecond(ORIGIN + 20_000 * MS));
    }

    @Test
    void oldBytesLeaveTheWindow() {
        RateWindow rate = new RateWindow(ORIGIN);
        rate.add(1_000_000, ORIGIN + 500 * MS);

        assertEquals(0, rate.bitsPerSecond(ORIGIN + (RateWindow.WINDOW_SECONDS + 2) * 1_000 * MS));
    }

    @Test
    void silenceAfterTrafficLowersTheRate() {
        RateWindow rate = new RateWindow(ORIGIN);
        for (long ms = 0; ms < 10_000; ms += 100) {
            rate.add(1_000, ORIGIN + ms * MS); // 80 kb/s for 10 s
        }

        // At 13.0 s the window is [8 s, 13 s): 2 s of traffic (20 000 bytes) over 5 s.
        assertEquals(32_000, rate.bitsPerSecond(ORIGIN + 13_000 * MS));
    }
}
