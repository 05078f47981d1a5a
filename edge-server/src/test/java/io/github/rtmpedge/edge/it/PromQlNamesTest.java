package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void findsTheMetricsAndNothingElse() {
        assertEquals(
                Set.of("rtmp_player_first_keyframe_seconds_bucket"),
                PromQlNames.of(
                        "histogram_quantile(0.95, sum by (le, protocol) "
                                + "(rate(rtmp_player_first_keyframe_seconds_bucket{job=~\"$job\",role=\"player\"}[$__rate_interval])))"));
        assertEquals(
                Set.of("rtmp_drain_phase_duration_seconds", "rtmp_drain_phase"),
                PromQlNames.of("sum by (job, instance) (rtmp_drain_phase_duration_seconds{phase=~\"a|b\"}) > 420"
                        + " and on (job, instance) (rtmp_drain_phase > 0 < 4)"));
        assertEquals(
                Set.of("up", "rtmp_connections_limit"),
                PromQlNames.of("up{job=\"x\"} == 0 unless ignoring (a) rtmp_connections_limit * 1e3"));
    }
}
