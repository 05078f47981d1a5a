package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish edge (defaults) forwarding to nginx origin A, then B, when A hangs (SIGSTOP): the
 * push notices its pings go unanswered, replays to B, and the encoder on the edge never notices.
 */
class PushStallRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private NginxRtmp a;
    private NginxRtmp b;
    private boolean aStopped;
    private ManagedProcess publisher;
    private TinyRtmpPlayer playerOnB;
    private LogCapture logs;
    private EdgeUnderTest edge;
    private EventLoopGroup clientGroup;

    @BeforeEach
    void startOriginsAndEdge() {
        logs = new LogCapture();
        a = NginxRtmp.builder(dir.resolve("origin-a")).waitKey(true).start();
        b = NginxRtmp.builder(dir.resolve("origin-b")).waitKey(true).start();
        edge = EdgeUnderTest.remote(dir.resolve("edge"), "", a.port(), b.port());
        clientGroup = Transports.newGroup(1, "it-client");
    }

    @AfterEach
    void stopAll() {
        if (aStopped) {
            a.process().signal("CONT");
        }
        if (playerOnB != null) {
            playerOnB.close();
        }
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (publisher != null) {
            publisher.close();
        }
        edge.close();
        a.close();
        b.close();
        logs.close();
    }

    @Test
    void aHungOriginIsLeftAndTheStreamPlaysFromTheOtherWithinTenSeconds() throws Exception {
        publisher = new Ffmpeg(dir.resolve("logs")).publish(edge.rtmpUrl("p1"), TestMedia.small(), true);
        logs.await(Pattern.compile("push live/p1: forwarding to origin 127\\.0\\.0\\.1:" + a.port()), WAIT);
        Origins.awaitPublishes(a, "p1", 1, WAIT);
        // A healthy origin answers the pings: no stall over more than twice stall_timeout.
        Awaitility.await("a healthy push does not stall")
                .during(Duration.ofSeconds(7))
                .atMost(Duration.ofSeconds(10))
                .until(() -> logs.count(Pattern.compile("push live/p1: .*stalled")) == 0);
        playerOnB = TinyRtmpPlayer.play(clientGroup, b.port(), "live", "p1"); // waits on B for the stream

        a.process().signal("STOP");
        aStopped = true;
        long hungAt = System.nanoTime();
        long firstKeyframe = playerOnB.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(firstKeyframe - hungAt);
        System.out.println("MEASURE push_stall_plays_from_other_origin_ms=" + millis);

        assertTrue(millis <= 10_000, () -> millis + " ms until B played the stream\n" + logs.dump());
        assertEquals(
                1,
                logs.count(Pattern.compile("push live/p1: origin 127\\.0\\.0\\.1:" + a.port()
                        + " failed: stalled: origin stopped reading \\(no answer to ping for \\d+ ms\\); retrying with"
                        + " 127\\.0\\.0\\.1:" + b.port() + " in 0 ms")),
                logs::dump);
        logs.await(Pattern.compile("push live/p1: forwarding to 127\\.0\\.0\\.1:" + b.port() + " again"), WAIT);
        assertTrue(publisher.isAlive(), publisher::describe);
        assertEquals(0, logs.count(Pattern.compile("stopped publishing live/p1")), logs::dump);
    }
}
