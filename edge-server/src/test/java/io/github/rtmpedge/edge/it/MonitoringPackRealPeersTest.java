package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring pack against a live scrape: an edge (in process) pulls from nginx-rtmp, which a
 * real ffmpeg publishes to, for an RTMP and an HTTP-FLV ffmpeg player. Every metric the alert
 * rules and the Grafana dashboard read is in that scrape (histograms through their
 * {@code _bucket}), the histograms recorded what happened, and the dashboard's PromQL parses.
 */
class MonitoringPackRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    static final Path DASHBOARD = Path.of("..", "monitoring", "grafana", "rtmp-edge-dashboard.json");
    /** Made by Prometheus at scrape time, not by the edge. */
    private static final Set<String> SYNTHETIC = Set.of("up");

    private static final Pattern RULE_EXPR = Pattern.compile("^\\s*expr: (.*)$", Pattern.MULTILINE);
    private static final Pattern DASHBOARD_EXPR = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final ExecutorService players = Executors.newFixedThreadPool(2);
    private NginxRtmp origin;
    private ManagedProcess publisher;
    private EdgeUnderTest edge;
    private Ffmpeg ffmpeg;

    @BeforeEach
    void startOriginPublisherAndEdge() {
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        publisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
        edge = EdgeUnderTest.remote(
                dir.resolve("edge"),
                MetricsScrapeRealPeersTest.HTTP_ON + "\nhttp_server { enabled = on, listen = \"127.0.0.1:0\" }\n",
                origin.port());
    }

    @AfterEach
    void stopAll() {
        players.shutdownNow();
        edge.close();
        publisher.close();
        origin.close();
    }

    @Test
    void everyMetricOfTheRulesAndTheDashboardIsInALiveScrape() throws Exception {
        String flvUrl = "http://127.0.0.1:" + edge.server().flvAddress().getPort() + "/live/s1.flv";
        List<CompletableFuture<Ffmpeg.PlayResult>> plays = List.of(
                CompletableFuture.supplyAsync(() -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(6)), players),
                CompletableFuture.supplyAsync(() -> ffmpeg.play(flvUrl, Duration.ofSeconds(6)), players));
        AtomicReference<String> scrape = new AtomicReference<>("");
        Awaitility.await("both players got a keyframe, the pull connected and shook hands")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    scrape.set(Scrapes.metrics(edge.server().httpAddress()));
                    return count(scrape.get(), "rtmp_player_first_keyframe_seconds_count", "protocol=\"rtmp\"") >= 1
                            && count(scrape.get(), "rtmp_player_first_keyframe_seconds_count", "protocol=\"http_flv\"")
                                    >= 1
                            && count(
                                            scrape.get(),
                                            "rtmp_upstream_connect_duration_seconds_count",
                                            "direction=\"pull\",stage=\"handshake\"")
                                    >= 1;
                });
        // the figures, for the record (surefire's output of this test)
        scrape.get()
                .lines()
                .filter(l ->
                        l.matches("rtmp_(player_first_keyframe|upstream_connect_duration)_seconds_(sum|count)\\{.*"))
                .filter(l -> !l.endsWith(" 0") && !l.endsWith(" 0.0"))
                .forEach(System.out::println);
        for (CompletableFuture<Ffmpeg.PlayResult> play : plays) {
            assertTrue(play.get().decodedCleanly(), () -> play.join().toString());
        }

        Set<String> scraped = sampleNames(scrape.get());
        TreeMap<String, Set<String>> used = new TreeMap<>();
        for (String expr : ruleExpressions()) {
            PromQlNames.of(expr)
                    .forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add("rules: " + expr));
        }
        List<String> dashboard = dashboardExpressions();
        for (String expr : dashboard) {
            PromQlNames.of(expr)
                    .forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>()).add("dashboard: " + expr));
        }
        assertTrue(
                used.keySet()
                        .containsAll(List.of(
                                "rtmp_player_first_keyframe_seconds_bucket",
                                "rtmp_upstream_stalls_total",
                                "rtmp_connections_limit",
                                "rtmp_edge_build_info")),
                used::toString);
        List<String> missing = new ArrayList<>();
        used.forEach((name, where) -> {
            if (!scraped.contains(name) && !SYNTHETIC.contains(name)) {
                missing.add(name + " (used in " + where + ")");
            }
        });
        assertEquals(List.of(), missing, "metrics the monitoring pack reads but the edge does not expose");

        Promtool.Result parsed = Promtool.checkRules(recordingRules(dashboard), WAIT);
        assertEquals(0, parsed.exitCode(), parsed::toString);
    }

    /** The value of the first sample of {@code name} whose labels contain {@code labels}, else 0. */
    private static double count(String exposition, String name, String labels) {
        return Scrapes.sample(exposition, name, labels).orElse(0);
    }

    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE_NAME.matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The rules' expressions: each on its one line (a block scalar would leave "|" or ">" here). */
    private static List<String> ruleExpressions() {
        List<String> exprs = new ArrayList<>();
        Matcher m = RULE_EXPR.matcher(MonitoringRulesTest.read(MonitoringRulesTest.RULES));
        while (m.find()) {
            String expr = m.group(1).strip();
            assertTrue(!expr.isEmpty() && !expr.startsWith("|") && !expr.startsWith(">"), "one-line expr: " + expr);
            exprs.add(expr);
        }
        assertEquals(
                MonitoringRulesTest.alerts(MonitoringRulesTest.RULES, "- alert: ")
                        .size(),
                exprs.size(),
                "one expr per alert");
        return exprs;
    }

    private static List<String> dashboardExpressions() {
        List<String> exprs = new ArrayList<>();
        Matcher m = DASHBOARD_EXPR.matcher(MonitoringRulesTest.read(DASHBOARD));
        while (m.find()) {
            exprs.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        assertTrue(exprs.size() >= 20, "dashboard queries: " + exprs);
        return exprs;
    }

    /** The dashboard's queries as recording rules (Grafana's variables filled in), for promtool to parse. */
    private Path recordingRules(List<String> exprs) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$__rate_interval", "1m").replace("$job", "rtmp-edge-metrics");
            yaml.append("      - record: dashboard_query_")
                    .append(i)
                    .append("\n        expr: '")
                    .append(expr.replace("'", "''"))
                    .append("'\n");
        }
        Path file = dir.resolve("dashboard-queries.rules.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
