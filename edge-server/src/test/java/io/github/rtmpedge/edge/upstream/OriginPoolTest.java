package io.github.rtmpedge.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.ClusterConfig.OriginSelection;
import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.StreamKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OriginPoolTest {

    private static final OriginAddress A = new OriginAddress("10.0.0.1", 1935);
    private static final OriginAddress B = new OriginAddress("10.0.0.2", 1935);
    private static final OriginAddress C = new OriginAddress("10.0.0.3", 1936);
    private static final List<OriginAddress> ORIGINS = List.of(A, B, C);
    private static final StreamKey LIVE = new StreamKey("live", "cam1");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private OriginPool pool(OriginSelection selection) {
        return new OriginPool(ORIGINS, selection, now::get);
    }

    @Test
    void roundRobinStartsEachUpstreamAtTheNextOrigin() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        assertEquals(List.of(A, B, C), p.order(LIVE));
        assertEquals(List.of(B, C, A), p.order(LIVE));
        assertEquals(List.of(C, A, B), p.order(LIVE));
        assertEquals(List.of(A, B, C), p.order(LIVE));
    }

    @Test
    void consistentHashGivesTheSameOrderOnTwoPools() {
        for (int i = 0; i < 50; i++) {
            StreamKey key = new StreamKey("live", "stream" + i);
            assertEquals(
                    pool(OriginSelection.CONSISTENT_HASH).order(key),
                    pool(OriginSelection.CONSISTENT_HASH).order(key),
                    key.toString());
        }
    }

    @Test
    void consistentHashGivesTheSameOrderEveryTime() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        assertEquals(p.order(LIVE), p.order(LIVE));
    }

    @Test
    void consistentHashSpreadsStreamsOverTheOrigins() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        Map<OriginAddress, Integer> first = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            first.merge(p.order(new StreamKey("live", "stream" + i)).get(0), 1, Integer::sum);
        }
        for (OriginAddress o : ORIGINS) {
            int n = first.getOrDefault(o, 0);
            assertTrue(n >= 200 && n <= 470, o + " is first for " + n + " of 1000 streams: " + first);
        }
    }

    @Test
    void failedOriginGoesLastUntilItsTimeHasPassed() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(2));
        assertEquals(List.of(B, C, A), p.order(LIVE)); // round robin would start at A
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(List.of(B, C, A), p.order(LIVE)); // the plain turn (start at B) once A is back
        assertEquals(List.of(C, A, B), p.order(LIVE));
    }

    @Test
    void failedOriginStillDownJustBeforeItsTime() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(2));
        now.addAndGet(TimeUnit.SECONDS.toNanos(2) - 1);
        assertEquals(List.of(B, C, A), p.order(LIVE));
    }

    @Test
    void failedOriginsKeepTheirRelativeOrderAtTheEnd() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(5));
        p.failed(B, TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(C, A, B), p.order(LIVE));
    }

    @Test
    void succeededOriginIsPreferredAgainAtOnce() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(5));
        p.succeeded(A);
        assertEquals(List.of(A, B, C), p.order(LIVE));
    }

    @Test
    void consistentHashMovesAFailedOriginLast() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        List<OriginAddress> preferred = p.order(LIVE);
        p.failed(preferred.get(0), TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(preferred.get(1), preferred.get(2), preferred.get(0)), p.order(LIVE));
    }
}
