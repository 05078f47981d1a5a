package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.security.StreamToken;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.Rtmpdump;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Signed tokens and CIDR lists on a real (in-process) server with real clients: ffmpeg publishes
 * and ffmpeg, rtmpdump and the tiny player play with valid tokens; expired, forged and missing
 * tokens and a denied address are refused with the right status, a log line and a count; and no
 * token ever shows up in a log line or the JSON API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAuthRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "rotating-secret-new";
    private static final String OLD_SECRET = "rotating-secret-old";
    private static final Pattern ATTACHED = Pattern.compile("stream live/s1 source attached: publisher");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private LogCapture logs;
    private EdgeUnderTest edge;
    private Ffmpeg ffmpeg;
    private ManagedProcess publisher;
    private EventLoopGroup clientGroup;
    private String publishToken;

    @BeforeAll
    void startServerAndPublisher() {
        logs = new LogCapture();
        edge = EdgeUnderTest.start(
                dir.resolve("edge"),
                String.join(
                        "\n",
                        "http_api { enabled = on, listen = \"127.0.0.1:0\" }",
                        "security {",
                        "  token_secrets = [\"" + SECRET + "\", \"" + OLD_SECRET + "\"]",
                        "  token_clock_skew = 1s",
                        "  apps {",
                        "    live { publish.token = on, play.token = on }",
                        "    guarded { play.deny = [\"127.0.0.0/8\", \"::1\"] }",
                        "  }",
                        "}"));
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        publishToken = query(SECRET, "s1", 3600);
        publisher = ffmpeg.publish(edge.rtmpUrl("s1" + publishToken), TestMedia.small(), true);
        logs.await(ATTACHED, WAIT);
        clientGroup = Transports.newGroup(1, "auth-client");
    }

    @AfterAll
    void stopAll() {
        if (publisher != null) {
            publisher.close();
        }
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (edge != null) {
            edge.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static String query(String secret, String stream, long ttlSeconds) {
        return "?"
                + StreamToken.query(
                        secret, EdgeUnderTest.APP, stream, Instant.now().getEpochSecond() + ttlSeconds);
    }

    private static String signature(String query) {
        return query.substring(query.indexOf("token=") + "token=".length());
    }

    private double rejections(AuthAction action, AuthReason reason) {
        return edge.server().rtmp().meters().refusals().refusals(action, reason);
    }

    @Test
    void ffmpegPublishesAndPlaysWithValidTokens() {
        assertTrue(publisher.isAlive(), publisher::describe);
        Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1" + query(SECRET, "s1", 60)), Duration.ofSeconds(2));
        assertTrue(result.frames() > 0, result::toString);
    }

    @Test
    void rtmpdumpPlaysWithATokenSignedByTheOlderSecret() {
        Rtmpdump rtmpdump = new Rtmpdump(dir.resolve("logs"));
        Rtmpdump.RecordResult result = rtmpdump.play(
                edge.rtmpUrl("s1" + query(OLD_SECRET, "s1", 60)), dir.resolve("rtmpdump.flv"), Duration.ofSeconds(2));
        assertTrue(result.packets().video() > 0, result::toString);
    }

    @Test
    void tinyPlayerWithATokenGetsAKeyframe() {
        try (TinyRtmpPlayer player =
                TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "s1" + query(SECRET, "s1", 60))) {
            Awaitility.await("a keyframe")
                    .atMost(WAIT)
                    .until(() -> player.firstKeyframeNanos().isDone());
        }
    }

    @Test
    void expiredTokenCannotPublish() {
        double before = rejections(AuthAction.PUBLISH, AuthReason.EXPIRED);
        String expired = query(SECRET, "s2", -60);
        try (StatusProbe probe = StatusProbe.publish(clientGroup, edge.port(), "live", "s2" + expired)) {
            assertEquals(List.of(StatusCode.PUBLISH_BAD_NAME.code()), probe.codesWhenClosed(WAIT));
        }
        logs.await(Pattern.compile("WARN RtmpSession - 127\\.0\\.0\\.1:\\d+: publish live/s2 refused: expired"), WAIT);
        assertEquals(before + 1, rejections(AuthAction.PUBLISH, AuthReason.EXPIRED));
        assertEquals(
                0,
                edge.server().streams().streams().stream()
                        .filter(s -> s.key().name().equals("s2"))
                        .count(),
                "nothing registered for the refused publisher");
    }

    @Test
    void forgedTokenCannotPlay() {
        double before = rejections(AuthAction.PLAY, AuthReason.BAD_SIGNATURE);
        String forged = query("not-the-secret", "s1", 60);
        refusedPlay("live", "s1" + forged, "bad_signature");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.BAD_SIGNATURE));
        String otherStream = query(SECRET, "s9", 60);
        refusedPlay("live", "s1" + otherStream, "bad_signature");
    }

    @Test
    void missingTokenCannotPlay() {
        double before = rejections(AuthAction.PLAY, AuthReason.MISSING);
        refusedPlay("live", "s1", "missing");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.MISSING));
    }

    @Test
    void ffmpegWithoutATokenIsRefused() {
        Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(2));
        assertEquals(0, result.frames(), result::toString);
        assertTrue(result.exitCode() != 0, result::toString);
    }

    @Test
    void deniedAddressCannotPlayEvenWithoutTokenRules() {
        double before = rejections(AuthAction.PLAY, AuthReason.CIDR_DENIED);
        refusedPlay("guarded", "s1", "cidr_denied");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.CIDR_DENIED));
    }

    private void refusedPlay(String app, String streamWithQuery, String reason) {
        StatusProbe.assertPlayRefused(clientGroup, edge.port(), app, streamWithQuery, reason, logs, WAIT);
    }

    @Test
    void noTokenAppearsInAnyLogLineOrApiAnswer() throws Exception {
        String playToken = query(SECRET, "s1", 60);
        String wrong = query("wrong-secret", "s1", 60);
        try (TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "s1" + playToken)) {
            Awaitility.await("a keyframe")
                    .atMost(WAIT)
                    .until(() -> player.firstKeyframeNanos().isDone());
            for (String path : List.of("/api/v1/clients", "/api/v1/streams", "/api/v1/summaries", "/metrics")) {
                HttpResponse<String> answer = Scrapes.get(edge.server().httpAddress(), path);
                assertEquals(200, answer.statusCode(), path);
                for (String secret : List.of(signature(publishToken), signature(playToken), SECRET, OLD_SECRET)) {
                    assertFalse(answer.body().contains(secret), path + " shows a secret: " + answer.body());
                }
            }
        }
        refusedPlay("live", "s1" + wrong, "bad_signature");
        // A client that puts the token in the app part too: its tcUrl (logged on connect) carries it.
        try (StatusProbe probe = StatusProbe.play(clientGroup, edge.port(), "live" + playToken, "s1" + playToken)) {
            Awaitility.await("play starts")
                    .atMost(WAIT)
                    .until(() -> probe.codes().contains(StatusCode.PLAY_START.code()));
        }
        logs.await(Pattern.compile("close /?127\\.0\\.0\\.1:\\d+: player of live/s1"), 2, WAIT);
        List<String> lines = logs.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("token=***")), "the tcUrl is logged, redacted");
        for (String secret :
                List.of(signature(publishToken), signature(playToken), signature(wrong), SECRET, OLD_SECRET)) {
            for (String line : lines) {
                assertFalse(line.contains(secret), "a log line shows a secret: " + line);
            }
        }
    }
}
