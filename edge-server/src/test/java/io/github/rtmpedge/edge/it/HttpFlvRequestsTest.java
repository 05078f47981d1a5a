package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.rtmpedge.edge.security.StreamToken;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of HTTP-FLV on a standalone server with ffmpeg publishing: 404 for a stream
 * without a publisher, HEAD, CORS for browsers, clear errors for other methods and paths, and the
 * same security checks as an RTMP play (a token in the query, CIDR lists), each refusal counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFlvRequestsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "k1-test-secret";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private LogCapture logs;
    private EdgeUnderTest edge;
    private ManagedProcess live;
    private ManagedProcess secure;
    private ManagedProcess closed;
    private HttpServer hooks;
    private final List<String> hookBodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws IOException {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        for (String answer : List.of("allow", "deny")) {
            hooks.createContext("/" + answer, exchange -> {
                hookBodies.add(
                        answer + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = (answer.equals("allow") ? "0" : "{\"code\":403}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        hooks.start();
        String hookUrl = "http://127.0.0.1:" + hooks.getAddress().getPort();
        logs = new LogCapture();
        edge = EdgeUnderTest.start(
                dir.resolve("edge"),
                "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n"
                        + "security { token_secrets = [\"" + SECRET + "\"], apps {"
                        + " secure { play.token = on }, closed { play.deny = [\"127.0.0.1\"] },"
                        + " hooked { http_hooks.on_play = [\"" + hookUrl + "/deny\"] },"
                        + " welcome { http_hooks.on_play = [\"" + hookUrl + "/allow\"] } } }\n");
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        String base = "rtmp://127.0.0.1:" + edge.port() + "/";
        live = ffmpeg.publish(base + "live/s1", TestMedia.small(), true);
        secure = ffmpeg.publish(base + "secure/s1", TestMedia.small(), true);
        closed = ffmpeg.publish(base + "closed/s1", TestMedia.small(), true);
        for (String s : List.of("live/s1", "secure/s1", "closed/s1")) {
            logs.await(Pattern.compile("stream " + s + " source attached"), WAIT);
        }
    }

    @AfterAll
    void stop() {
        if (hooks != null) {
            hooks.stop(0);
        }
        for (AutoCloseable c : new AutoCloseable[] {live, secure, closed, edge, logs}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + edge.server().flvAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status, the content type and the first bytes of a GET's body, then the connection is dropped. */
    private List<Object> open(String path) throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + edge.server().flvAddress().getPort() + path))
                        .header("Origin", "http://page.example")
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            byte[] start = r.statusCode() == 200 ? body.readNBytes(3) : new byte[0];
            return List.of(
                    r.statusCode(),
                    r.headers().firstValue("content-type").orElse(""),
                    r.headers().firstValue("access-control-allow-origin").orElse(""),
                    new String(start, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private double refusals(String reason) {
        return edge.server()
                .metrics()
                .registry()
                .find("rtmp.auth.rejections")
                .tags("action", "play", "reason", reason)
                .counter()
                .count();
    }

    @Test
    void aPublishedStreamIsChunkedFlvThatPagesElsewhereMayRead() throws Exception {
        assertEquals(List.of(200, "video/x-flv", "*", "FLV"), open("/live/s1.flv"));
    }

    @Test
    void aStreamWithoutAPublisherIsNotFound() throws Exception {
        HttpResponse<String> r = send("GET", "/live/nobody.flv");
        assertEquals(List.of(404, "no such stream\n"), List.of(r.statusCode(), r.body()));
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<String> found = send("HEAD", "/live/s1.flv");
        HttpResponse<String> missing = send("HEAD", "/live/nobody.flv");
        assertEquals(
                List.of(200, "video/x-flv", "", 404),
                List.of(
                        found.statusCode(),
                        found.headers().firstValue("content-type").orElse(""),
                        found.body(),
                        missing.statusCode()));
    }

    @Test
    void corsPreflightsAreAnswered() throws Exception {
        HttpResponse<String> r = send(
                "OPTIONS", "/live/s1.flv", "Origin", "http://page.example", "Access-Control-Request-Method", "GET");
        assertEquals(
                List.of(204, "*", "GET, HEAD, OPTIONS"),
                List.of(
                        r.statusCode(),
                        r.headers().firstValue("access-control-allow-origin").orElse(""),
                        r.headers().firstValue("access-control-allow-methods").orElse("")));
    }

    @Test
    void otherMethodsAndPathsGetClearErrors() throws Exception {
        HttpResponse<String> post = send("POST", "/live/s1.flv");
        HttpResponse<String> elsewhere = send("GET", "/live/s1.mp4");
        assertEquals(
                List.of(405, "GET, HEAD, OPTIONS", "use GET or HEAD\n", 404, "not found\n"),
                List.of(
                        post.statusCode(),
                        post.headers().firstValue("allow").orElse(""),
                        post.body(),
                        elsewhere.statusCode(),
                        elsewhere.body()));
    }

    @Test
    void aTokenIsCheckedLikeAnRtmpPlays() throws Exception {
        double missingBefore = refusals("missing");
        HttpResponse<String> without = send("GET", "/secure/s1.flv");
        long expires = Instant.now().getEpochSecond() + 600;
        List<Object> with = open("/secure/s1.flv?" + StreamToken.query(SECRET, "secure", "s1", expires));
        assertEquals(List.of(403, 200), List.of(without.statusCode(), with.get(0)));
        assertEquals(1.0, refusals("missing") - missingBefore);
        logs.await(Pattern.compile("play secure/s1 over HTTP-FLV refused: missing"), WAIT);
    }

    @Test
    void theCidrListsAreCheckedLikeAnRtmpPlays() throws Exception {
        double before = refusals("cidr_denied");
        HttpResponse<String> r = send("GET", "/closed/s1.flv");
        assertEquals(403, r.statusCode());
        assertEquals(1.0, refusals("cidr_denied") - before);
    }

    @Test
    void theFlvHeaderAnnouncesAudioAndVideo() throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + edge.server().flvAddress().getPort() + "/live/s1.flv"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            // "FLV", version 1, audio and video flags, header size 9, PreviousTagSize0 0 (FLV spec E.2).
            assertArrayEquals(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0}, body.readNBytes(13));
        }
    }

    /** The on_play hook decides as for an RTMP play: with SRS's body, the query as param, before the stream is looked up. */
    @Test
    void theOnPlayHookDecides() throws Exception {
        double before = refusals("hook_denied");
        HttpResponse<String> denied = send("GET", "/hooked/s1.flv?a=1");
        HttpResponse<String> allowed = send("GET", "/welcome/nobody.flv?b=2");
        assertEquals(List.of(403, 404), List.of(denied.statusCode(), allowed.statusCode()));
        assertEquals(1.0, refusals("hook_denied") - before);
        String deny = hookBodies.stream()
                .filter(b -> b.startsWith("deny "))
                .findFirst()
                .orElseThrow();
        String allow = hookBodies.stream()
                .filter(b -> b.startsWith("allow "))
                .findFirst()
                .orElseThrow();
        for (String expected :
                List.of("\"action\":\"on_play\"", "\"app\":\"hooked\"", "\"stream\":\"s1\"", "\"param\":\"?a=1\"")) {
            assertTrue(deny.contains(expected), deny);
        }
        assertTrue(allow.contains("\"stream\":\"nobody\"") && allow.contains("\"param\":\"?b=2\""), allow);
    }
}
