package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** /metrics of our server while a real ffmpeg publishes and another plays, checked by promtool. */
class MetricsScrapeRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String HTTP_ON = "http_api { enabled = on, listen = \"127.0.0.1:0\" }";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private EdgeUnderTest edge;
    private ManagedProcess publisher;
    private final ExecutorService players = Executors.newSingleThreadExecutor();

    @BeforeEach
    void startEdge() {
        edge = EdgeUnderTest.start(dir.resolve("edge"), HTTP_ON);
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
    void scrapeWithAPublisherAndAPlayerPassesPromtoolWithoutWarnings() throws Exception {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        InetSocketAddress http = edge.server().httpAddress();
        publisher = ffmpeg.publish(edge.rtmpUrl("s1"), TestMedia.small(), true);
        CompletableFuture<Ffmpeg.PlayResult> player =
                CompletableFuture.supplyAsync(() -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(6)), players);
        AtomicReference<String> scrape = new AtomicReference<>("");
        Awaitility.await("a publisher, a player and bytes sent to it")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    scrape.set(Scrapes.metrics(http));
                    return Scrapes.sample(
                                                    scrape.get(),
                                                    "rtmp_connections_active",
                                                    "protocol=\"rtmp\",role=\"publisher\"")
                                            .orElse(0)
                                    == 1
                            && Scrapes.sample(
                                                    scrape.get(),
                                                    "rtmp_connections_active",
                                                    "protocol=\"rtmp\",role=\"player\"")
                                            .orElse(0)
                                    == 1
                            && Scrapes.sample(
                                                    scrape.get(),
                                                    "rtmp_sent_bytes_total",
                                                    "protocol=\"rtmp\",role=\"player\"")
                                            .orElse(0)
                                    > 50_000
                            && Scrapes.sample(scrape.get(), "rtmp_gop_cache_bytes", "")
                                            .orElse(0)
                                    > 0;
                });
        Path file = dir.resolve("scrape.txt");
        Files.writeString(file, scrape.get(), StandardCharsets.UTF_8);

        Promtool.Result lint = Promtool.checkMetrics(file, WAIT);
        assertTrue(lint.exitCode() == 0 && lint.output().isBlank(), lint::toString);
        assertTrue(player.get().decodedCleanly(), () -> player.join().toString());
    }

    @Test
    void metricsAnswerInThePrometheusTextFormatWithItsContentType() throws Exception {
        HttpResponse<String> response = Scrapes.get(edge.server().httpAddress(), "/metrics");

        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("content-type").orElse(""));
        assertTrue(response.body().contains("# TYPE rtmp_connections_accepted_total counter"), response.body());
    }
}
