package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rtmpedge.edge.rtmp.PublishPace.Verdict;
import org.junit.jupiter.api.Test;

class PublishPaceTest {

    private static final long MS = 1_000_000L;

    @Test
    void aRealTimePublisherIsNeverAhead() {
        PublishPace pace = new PublishPace(1_000, 5_000);
        for (long t = 0; t <= 60_000; t += 20) {
            // audio lagging video by 15 ms, as interleaved tracks do
            assertEquals(Verdict.OK, pace.observe(t, t * MS));
            assertEquals(Verdict.OK, pace.observe(Math.max(0, t - 15), t * MS));
        }
        assertEquals(0, pace.leadMillis(60_000 * MS));
    }

    @Test
    void aFastPublisherIsWarnedAboutOnceThenTooFarAhead() {
        PublishPace pace = new PublishPace(1_000, 5_000);
        pace.observe(0, 0);
        assertEquals(Verdict.OK, pace.observe(1_000, 0));
        assertEquals(Verdict.AHEAD, pace.observe(1_040, 0));
        assertEquals(Verdict.OK, pace.observe(2_000, 0), "warned once");
        assertEquals(Verdict.OK, pace.observe(5_000, 0));
        assertEquals(Verdict.TOO_FAR_AHEAD, pace.observe(5_040, 0));
        assertEquals(Verdict.OK, pace.observe(5_080, 1_000 * MS), "the wall clock caught up");
    }

    @Test
    void zeroMaximumNeverDisconnects() {
        PublishPace pace = new PublishPace(1_000, 0);
        pace.observe(0, 0);
        assertEquals(Verdict.AHEAD, pace.observe(9_000, 0));
        for (long t = 9_000; t < 100_000; t += 9_000) {
            assertEquals(Verdict.OK, pace.observe(t, 0));
        }
    }

    @Test
    void discontinuitiesAreNotSpeed() {
        PublishPace pace = new PublishPace(1_000, 5_000);
        pace.observe(0, 0);
        assertEquals(Verdict.OK, pace.observe(3_600_000, 0), "a jump of an hour forward");
        assertEquals(Verdict.OK, pace.observe(40, 40 * MS), "and back to the start");
        assertEquals(Verdict.OK, pace.observe(80, 80 * MS));
        assertEquals(-40, pace.leadMillis(80 * MS), "media 40 ms (0 -> 40 after the jump back) in 80 ms of wall time");
    }

    @Test
    void theThirtyTwoBitWrapIsASmallStep() {
        PublishPace pace = new PublishPace(1_000, 5_000);
        pace.observe(0xFFFFFFF0L, 0);
        assertEquals(Verdict.OK, pace.observe(0x10, 32 * MS));
        assertEquals(0, pace.leadMillis(32 * MS));
    }
}
