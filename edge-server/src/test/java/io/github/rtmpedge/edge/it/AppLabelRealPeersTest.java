package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * http_api.metrics_app_label = on with a bound of one app: real ffmpeg clients of two apps are
 * counted under the first app's name and under "other", over RTMP and HTTP-FLV, and the scrape
 * still passes promtool.
 */
class AppLabelRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private EdgeUnderTest edge;
    private ManagedProcess publisher;
    private final ExecutorService players = Executors.newFixedThreadPool(2);

    @BeforeEach
    void startEdge() {
        edge = EdgeUnderTest.start(
                dir.resolve("edge"),
                "http_api { enabled = on, listen = \"127.0.0.1:0\", metrics_app_label = on,"
                        + " metrics_app_label_max = 1 }\n"
                        + "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n");
    }

    @AfterEach
    void stopAll() {
        players.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
        edge.close();
    }

    @Test
    void clientsCountByTheirAppWithinTheBound() throws Exception {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        publisher = ffmpeg.publish(edge.rtmpUrl("s1"), TestMedia.small(), true);
        Awaitility.await("the publisher of live/s1")
                .atMost(WAIT)
                .until(() -> sample("rtmp_app_connections_active", "app=\"live\",protocol=\"rtmp\",role=\"publisher\"")
                        == 1);
        String flvUrl = "http://127.0.0.1:" + edge.server().flvAddress().getPort() + "/live/s1.flv";
        String otherApp = edge.rtmpUrl("s1").replace("/live/", "/tv/"); // a second app: past the bound
        List<CompletableFuture<Ffmpeg.PlayResult>> plays = List.of(
                CompletableFuture.supplyAsync(() -> ffmpeg.play(flvUrl, Duration.ofSeconds(6)), players),
                CompletableFuture.supplyAsync(() -> ffmpeg.play(otherApp, Duration.ofSeconds(6)), players));
        AtomicReference<String> scrape = new AtomicReference<>("");
        Awaitility.await("an HTTP-FLV player of live and an RTMP player of tv (as other)")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    scrape.set(Scrapes.metrics(edge.server().httpAddress()));
                    return value(
                                            scrape.get(),
                                            "rtmp_app_connections_active",
                                            "app=\"live\",protocol=\"http_flv\",role=\"player\"")
                                    == 1
                            && value(
                                            scrape.get(),
                                            "rtmp_app_connections_active",
                                            "app=\"other\",protocol=\"rtmp\",role=\"player\"")
                                    == 1
                            && value(
                                            scrape.get(),
                                            "rtmp_app_sent_bytes_total",
                                            "app=\"live\",protocol=\"http_flv\",role=\"player\"")
                                    > 10_000
                            && value(
                                            scrape.get(),
                                            "rtmp_app_received_bytes_total",
                                            "app=\"live\",protocol=\"rtmp\",role=\"publisher\"")
                                    > 10_000;
                });
        assertFalse(scrape.get().contains("app=\"tv\""), "tv is past the bound of one app");
        Path file = dir.resolve("scrape.txt");
        Files.writeString(file, scrape.get(), StandardCharsets.UTF_8);
        Promtool.Result lint = Promtool.checkMetrics(file, WAIT);
        assertTrue(lint.exitCode() == 0 && lint.output().isBlank(), lint::toString);

        CompletableFuture.allOf(plays.toArray(CompletableFuture[]::new)).join();
        Awaitility.await("both players gone")
                .atMost(WAIT)
                .until(() -> sample("rtmp_app_connections_active", "app=\"other\",protocol=\"rtmp\",role=\"player\"")
                                == 0
                        && sample("rtmp_app_connections_active", "app=\"live\",protocol=\"http_flv\",role=\"player\"")
                                == 0);
    }

    private double sample(String name, String labels) throws Exception {
        return value(Scrapes.metrics(edge.server().httpAddress()), name, labels);
    }

    private static double value(String exposition, String name, String labels) {
        return Scrapes.sample(exposition, name, labels).orElse(-1);
    }
}
