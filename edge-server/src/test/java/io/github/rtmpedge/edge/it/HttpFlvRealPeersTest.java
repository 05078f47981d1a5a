package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.rtmpedge.edge.http.TestJson;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.Gstreamer;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.PacketCounts;
import io.github.rtmpedge.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP-FLV from our edge in front of an nginx-rtmp origin that a looping ffmpeg publishes to, read
 * by real players (ffmpeg, GStreamer's souphttpsrc ! flvdemux, curl) and by a minimal reader that
 * times a late joiner's first keyframe; the players are players everywhere (one upstream pull
 * beside RTMP players, the API's flv-play clients, the protocol label).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFlvRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private NginxRtmp origin;
    private ManagedProcess originPublisher;
    private Ffmpeg ffmpeg;
    private LogCapture logs;
    private EdgeUnderTest edge;

    @BeforeAll
    void startOriginPublisherAndEdge() {
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        originPublisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
        logs = new LogCapture();
        edge = EdgeUnderTest.remote(
                dir.resolve("edge"),
                "http_api { enabled = on, listen = \"127.0.0.1:0\" }\n"
                        + "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n"
                        + "cluster.idle_close = 30s\n",
                origin.port());
    }

    @AfterAll
    void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {edge, logs, originPublisher, origin}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private String flvUrl(String stream) {
        return "http://127.0.0.1:" + edge.server().flvAddress().getPort() + "/live/" + stream + ".flv";
    }

    private String api(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + edge.server().httpAddress().getPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void ffmpegDecodesTheStreamOverHttpFlv() {
        Ffmpeg.PlayResult played = ffmpeg.play(flvUrl("s1"), Duration.ofSeconds(5));
        assertTrue(played.decodedCleanly(), played::toString);
        assertTrue(
                played.frames() >= PlayEdgeRealPeersTest.minFramesFromNginx(5),
                () -> "frames " + played.frames() + ": " + played);
    }

    @Test
    void gstreamerReadsItWithSouphttpsrcAndFlvdemux() {
        Gstreamer.PlayResult played = new Gstreamer(dir.resolve("logs")).play(flvUrl("s1"), 75, WAIT);
        assertTrue(played.succeeded(), played::toString);
    }

    @Test
    void curlSavesWhatFfmpegThenDecodes() throws Exception {
        Path file = dir.resolve("curl-s1.flv");
        ManagedProcess curl = ManagedProcess.start(
                "curl", dir.resolve("logs"), "curl", "-sS", "--max-time", "4", "-o", file.toString(), flvUrl("s1"));
        curl.waitFor(Duration.ofSeconds(15));
        curl.close();
        ManagedProcess decode = ManagedProcess.start(
                "decode-curl", dir.resolve("logs"), "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertEquals(0, decode.awaitExit(Duration.ofSeconds(30)), decode.outputLines()::toString);
        PacketCounts packets = Ffmpeg.probePackets(file);
        assertTrue(packets.video() >= 50 && packets.audio() > 0, packets::toString);
    }

    @Test
    void anHttpFlvPlayerGetsAnAccessLineWithItsFields() {
        ManagedProcess curl = ManagedProcess.start(
                "curl-access", dir.resolve("logs"), "curl", "-sS", "--max-time", "2", "-o", "/dev/null", flvUrl("s1"));
        curl.waitFor(Duration.ofSeconds(15));
        curl.close();
        Pattern close = Pattern.compile("close /[^ ]+: HTTP-FLV player of live/s1,");
        logs.await(close, WAIT);
        for (ILoggingEvent line : logs.events(close)) {
            Map<String, Object> kv = new LinkedHashMap<>();
            line.getKeyValuePairs().forEach(pair -> kv.put(pair.key, pair.value));
            assertEquals(
                    List.of("127.0.0.1", "http_flv", "live", "s1", "player", true, true),
                    List.of(
                            kv.get("client"),
                            kv.get("protocol"),
                            kv.get("app"),
                            kv.get("stream"),
                            kv.get("role"),
                            kv.get("close_reason") != null,
                            ((Number) kv.get("bytes_out")).longValue() > 0),
                    () -> line.getFormattedMessage() + " " + kv);
        }
    }

    @Test
    void aLateJoinerGetsAKeyframeAtOnceFromTheGopCache() throws Exception {
        try (FlvHttpReader first = FlvHttpReader.get(edge.server().flvAddress().getPort(), "/live/s1.flv")) {
            first.firstKeyframeNanos().get(30, TimeUnit.SECONDS); // the pull is up and caching
            Awaitility.await().atMost(WAIT).until(() -> first.lastVideoTimestamp() > 3000);
            try (FlvHttpReader late =
                    FlvHttpReader.get(edge.server().flvAddress().getPort(), "/live/s1.flv")) {
                long nanos = late.firstKeyframeNanos().get(10, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "[http-flv] late joiner's first keyframe after %.1f ms%n", nanos / 1e6);
                assertEquals(200, late.status().get(5, TimeUnit.SECONDS));
                assertTrue(late.flvHeaderSeen());
                assertTrue(nanos < TimeUnit.MILLISECONDS.toNanos(1000), "first keyframe after " + nanos / 1e6 + " ms");
                Awaitility.await().atMost(WAIT).until(() -> late.videoTags() > 50);
                assertEquals(0, late.regressions(), "video timestamps went back");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void httpAndRtmpPlayersShareOnePullAndAreCountedAsPlayers() throws Exception {
        try (FlvHttpReader reader = FlvHttpReader.get(edge.server().flvAddress().getPort(), "/live/s1.flv")) {
            reader.firstKeyframeNanos().get(30, TimeUnit.SECONDS);
            io.netty.channel.EventLoopGroup group = io.github.rtmpedge.edge.transport.Transports.newGroup(1, "rtmp");
            try (TinyRtmpPlayer rtmp = TinyRtmpPlayer.play(group, edge.port(), EdgeUnderTest.APP, "s1")) {
                rtmp.firstKeyframeNanos().orTimeout(30, TimeUnit.SECONDS).join();
                assertEquals(1, edge.server().upstreamPulls(), "one upstream pull for both players");
                Map<String, Object> clients = TestJson.object(api("/api/v1/clients"));
                List<Object> types = ((List<Map<String, Object>>) clients.get("clients"))
                        .stream()
                                .map(c -> c.get("type"))
                                .sorted()
                                .map(Object.class::cast)
                                .toList();
                assertTrue(types.contains("flv-play") && types.contains("rtmp-play"), clients::toString);
                String metrics = Scrapes.metrics(edge.server().httpAddress());
                assertEquals(
                        1.0,
                        Scrapes.sample(metrics, "rtmp_connections_active", "protocol=\"http_flv\",role=\"player\"")
                                .orElse(-1),
                        metrics);
                assertTrue(
                        Scrapes.sample(metrics, "rtmp_sent_bytes_total", "protocol=\"http_flv\",role=\"player\"")
                                        .orElse(0)
                                > 10_000,
                        metrics);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @Test
    void theFirstHttpPlayerOfAStreamStartsTheUpstreamPull() throws Exception {
        ManagedProcess publisher = ffmpeg.publish(origin.rtmpUrl("s2"), TestMedia.small(), true);
        try (publisher) {
            Origins.awaitPublishes(origin, "s2", 1, WAIT);
            try (FlvHttpReader reader =
                    FlvHttpReader.get(edge.server().flvAddress().getPort(), "/live/s2.flv")) {
                reader.firstKeyframeNanos().get(30, TimeUnit.SECONDS);
                logs.await(Pattern.compile("stream live/s2 source attached: upstream pull"), WAIT);
                assertTrue(Origins.plays(origin, "s2") >= 1, "the origin saw our pull");
            }
        }
    }

    /** DELETE /api/v1/clients/{id} kicks an HTTP-FLV player: SRS's answer, its body ends, the close is counted. */
    @Test
    @SuppressWarnings("unchecked")
    void anOperatorKicksAnHttpFlvPlayerThroughTheApi() throws Exception {
        try (FlvHttpReader reader = FlvHttpReader.get(edge.server().flvAddress().getPort(), "/live/s1.flv")) {
            reader.firstKeyframeNanos().get(30, TimeUnit.SECONDS);
            String remote = "127.0.0.1:" + reader.localPort();
            Map<String, Object> clients = TestJson.object(api("/api/v1/clients?count=100"));
            String id = ((List<Map<String, Object>>) clients.get("clients"))
                    .stream()
                            .filter(c -> remote.equals(c.get("remote")))
                            .map(c -> (String) c.get("id"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(remote + " not in " + clients));
            double kicked = edge.server()
                    .metrics()
                    .registry()
                    .find("rtmp.connections.closed")
                    .tags("protocol", "http_flv", "reason", "kicked")
                    .counter()
                    .count();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + edge.server().httpAddress().getPort() + "/api/v1/clients/" + id))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    List.of(200, 0L),
                    List.of(r.statusCode(), TestJson.object(r.body()).get("code")),
                    r.body());
            reader.ended().get(10, TimeUnit.SECONDS);
            logs.await(
                    Pattern.compile("close /" + Pattern.quote(remote) + ": HTTP-FLV player of live/s1, kicked"), WAIT);
            assertEquals(
                    kicked + 1,
                    edge.server()
                            .metrics()
                            .registry()
                            .find("rtmp.connections.closed")
                            .tags("protocol", "http_flv", "reason", "kicked")
                            .counter()
                            .count());
        }
    }
}
