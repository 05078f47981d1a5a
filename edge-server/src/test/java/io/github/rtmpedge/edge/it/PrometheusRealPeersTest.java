package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server scrapes our edge (in front of an nginx origin) every second; its own
 * query API shows what the edge's meters did.
 */
class PrometheusRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
    private static final String EDGE =
            "cluster { idle_close = 1s, retry { initial_backoff = 300ms, max_backoff = 1s, jitter = 0 } }\n"
                    + MetricsScrapeRealPeersTest.HTTP_ON;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ManagedProcess> publishers = new ArrayList<>();
    private final ExecutorService players = Executors.newFixedThreadPool(2);
    private NginxRtmp origin;
    private EdgeUnderTest edge;
    private ManagedProcess prometheus;
    private int prometheusPort;
    private Ffmpeg ffmpeg;

    @BeforeEach
    void startOriginEdgeAndPrometheus() throws IOException {
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        + "scrape_configs:\n  - job_name: edge\n    static_configs:\n      - targets: ['127.0.0.1:"
                        + edge.server().httpAddress().getPort() + "']\n",
                StandardCharsets.UTF_8);
        prometheusPort = FreePorts.pick();
        prometheus = ManagedProcess.start(
                "prometheus",
                dir.resolve("logs"),
                List.of(
                        "/usr/bin/prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort));
        Awaitility.await("prometheus scrapes the edge")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> query("up{job=\"edge\"}").equals("1"));
    }

    @AfterEach
    void stopAll() {
        players.shutdownNow();
        publishers.forEach(ManagedProcess::close);
        if (prometheus != null) {
            prometheus.close();
        }
        edge.close();
        origin.close();
    }

    @Test
    void playersGaugeRisesWhenPlayersJoinAndFallsWhenTheyLeave() {
        publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
        String players = "sum(rtmp_connections_active{role=\"player\"})";
        awaitValue(players, "0");

        List<CompletableFuture<Ffmpeg.PlayResult>> plays = List.of(
                CompletableFuture.supplyAsync(
                        () -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(6)), this.players),
                CompletableFuture.supplyAsync(
                        () -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(6)), this.players));
        awaitValue(players, "2");
        CompletableFuture.allOf(plays.toArray(CompletableFuture[]::new)).join();
        awaitValue(players, "0");
    }

    @Test
    void upstreamReconnectCounterIncreasesAfterAnOriginRestart() {
        publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
        String reconnects = "sum(rtmp_upstream_reconnects_total{direction=\"pull\"})";
        // the player keeps the pull going through the restart; stopAll() interrupts it (its ffmpeg is closed)
        CompletableFuture.supplyAsync(() -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(25)), players);
        awaitValue("sum(rtmp_connections_active{role=\"upstream_pull\"})", "1");
        awaitValue(reconnects, "0");

        origin.stop();
        awaitValue("sum(rtmp_connections_active{role=\"upstream_pull\"})", "0");
        origin.start();
        publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));

        awaitValue(reconnects, "1");
        awaitValue("sum(rtmp_upstream_connect_attempts_total{direction=\"pull\",outcome=\"success\"})", "2");
    }

    private void awaitValue(String promql, String expected) {
        Awaitility.await(promql + " == " + expected)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> query(promql).equals(expected));
    }

    /** The value of an instant query's single result, or "" if there is none. */
    private String query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = VALUE.matcher(response.body());
        return m.find() ? m.group(1) : "";
    }
}
