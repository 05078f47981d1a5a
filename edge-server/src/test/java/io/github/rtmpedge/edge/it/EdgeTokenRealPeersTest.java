package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.security.StreamToken;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Tokens travel to the origin: our own server as the origin, with tokens required for publish and
 * play, behind our server as an edge (cluster.mode = remote) that checks nothing itself. The
 * edge's upstream push and pull are let in only because they carry the client's query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeTokenRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "origin-secret";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private LogCapture logs;
    private EdgeUnderTest origin;
    private EdgeUnderTest edge;
    private ManagedProcess publisher;
    private EventLoopGroup clientGroup;

    @BeforeAll
    void start() {
        logs = new LogCapture();
        origin = EdgeUnderTest.start(
                dir.resolve("origin"),
                "security { token_secrets = [\"" + SECRET + "\"]\n" + "  publish.token = on\n  play.token = on }");
        edge = EdgeUnderTest.remote(dir.resolve("edge"), "", origin.port());
        clientGroup = Transports.newGroup(1, "edge-token-client");
        publisher = new Ffmpeg(dir.resolve("logs")).publish(edge.rtmpUrl("p1" + query("p1")), TestMedia.small(), true);
    }

    @AfterAll
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (EdgeUnderTest server : new EdgeUnderTest[] {edge, origin}) {
            if (server != null) {
                server.close();
            }
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static String query(String stream) {
        return "?"
                + StreamToken.query(
                        SECRET, EdgeUnderTest.APP, stream, Instant.now().getEpochSecond() + 300);
    }

    private double originRejections(AuthAction action, AuthReason reason) {
        return origin.server().rtmp().meters().refusals().refusals(action, reason);
    }

    @Test
    void publishEdgeForwardsTheTokenAndThePullCarriesThePlayersToken() {
        Awaitility.await("the origin has the edge's push as the source of live/p1")
                .atMost(WAIT)
                .until(() -> origin.server().streams().streams().stream()
                        .anyMatch(s -> s.key().name().equals("p1") && s.source() != null));
        assertEquals(
                0,
                originRejections(AuthAction.PUBLISH, AuthReason.MISSING)
                        + originRejections(AuthAction.PUBLISH, AuthReason.BAD_SIGNATURE),
                logs::dump);

        // A second edge pulls from the origin: its player's token goes upstream with the pull.
        try (EdgeUnderTest playEdge = EdgeUnderTest.remote(dir.resolve("play-edge"), "", origin.port());
                TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, playEdge.port(), "live", "p1" + query("p1"))) {
            Awaitility.await("a keyframe through the pull")
                    .atMost(WAIT)
                    .until(() -> player.firstKeyframeNanos().isDone());
        }
        assertTrue(publisher.isAlive(), publisher::describe);
    }

    @Test
    void pullWithoutATokenIsRefusedByTheOrigin() {
        double before = originRejections(AuthAction.PLAY, AuthReason.MISSING);
        try (TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "p2")) {
            logs.await(Pattern.compile("play live/p2 refused: missing"), WAIT);
            assertTrue(originRejections(AuthAction.PLAY, AuthReason.MISSING) > before);
            assertEquals(0, player.videoMessages());
        }
    }
}
