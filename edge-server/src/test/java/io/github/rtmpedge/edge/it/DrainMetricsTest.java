package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** /metrics answers through every phase of a graceful quit, until the server stops. */
class DrainMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private EdgeUnderTest edge;

    @BeforeEach
    void startEdge() {
        edge = EdgeUnderTest.start(
                dir.resolve("edge"),
                MetricsScrapeRealPeersTest.HTTP_ON
                        + "\ngrace_start_wait = 1s\ngrace_final_wait = 1s\ndrain_timeout = 1s\ndrain_spread = 0s");
    }

    @AfterEach
    void stop() {
        edge.close();
    }

    @Test
    void metricsAnswerInEveryPhaseUntilTheStopAndThePhaseGaugeMoves() throws Exception {
        InetSocketAddress http = edge.server().httpAddress();
        assertEquals(0.0, phase(Scrapes.metrics(http)));
        List<Double> phases = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        List<Double> drainsInFinalWait = new ArrayList<>();
        assertEquals(
                0.0,
                Scrapes.sample(Scrapes.metrics(http), "rtmp_drain_duration_seconds_count", "")
                        .orElse(-1));

        edge.server().requestGracefulQuit("test");
        Awaitility.await("the server stops answering")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try {
                        HttpResponse<String> response = Scrapes.get(http, "/metrics");
                        statuses.add(response.statusCode());
                        double phase = phase(response.body());
                        if (phases.isEmpty() || phases.get(phases.size() - 1) != phase) {
                            phases.add(phase);
                        }
                        if (phase == 4.0) {
                            drainsInFinalWait.add(
                                    Scrapes.sample(response.body(), "rtmp_drain_duration_seconds_count", "")
                                            .orElse(-1));
                        }
                        return false;
                    } catch (IOException refused) {
                        return true;
                    }
                });

        assertTrue(statuses.stream().allMatch(s -> s == 200), () -> "statuses " + statuses);
        // drain_requested (1s), then listeners_closed and draining (over at once without connections), final_wait
        // (1s), and stopped may be seen in the instant before the HTTP port closes
        assertEquals(1.0, phases.get(0), () -> "phases seen " + phases);
        assertTrue(phases.contains(4.0), () -> "phases seen " + phases);
        for (int i = 1; i < phases.size(); i++) {
            assertTrue(phases.get(i) > phases.get(i - 1), () -> "phases seen " + phases);
        }
        // the drain's duration is in the histogram before final_wait begins
        assertTrue(
                !drainsInFinalWait.isEmpty() && drainsInFinalWait.stream().allMatch(n -> n == 1.0),
                () -> "drains counted in final_wait " + drainsInFinalWait);
    }

    @Test
    void phaseDurationCountsTheGraceStartWait() throws Exception {
        InetSocketAddress http = edge.server().httpAddress();
        edge.server().requestGracefulQuit("test");

        Awaitility.await("final_wait")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> phase(Scrapes.metrics(http)) == 4.0);
        double startWait = Scrapes.sample(
                        Scrapes.metrics(http), "rtmp_drain_phase_duration_seconds", "phase=\"drain_requested\"")
                .orElse(-1);
        assertTrue(startWait >= 1.0 && startWait < 5.0, "drain_requested lasted " + startWait + " s");
    }

    private static double phase(String exposition) {
        return Scrapes.sample(exposition, "rtmp_drain_phase", "").orElseThrow();
    }
}
