package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.Gstreamer;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.Rtmpdump;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our server as an edge (cluster.mode = remote) in front of an nginx-rtmp origin that a looping
 * ffmpeg publishes to: players through us, the shared upstream pull, the publish edge, failover.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlayEdgeRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FPS = TestMedia.SMALL.fps();
    /** Short idle close and a fixed (jitter-free) backoff, so the log lines can be checked exactly. */
    private static final String EDGE =
            "cluster { idle_close = 1s, retry { initial_backoff = 300ms, max_backoff = 2s, jitter = 0 } }";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    /**
     * Frames a player decoding {@code seconds} of a stream should get at the least (80 %). nginx
     * keeps no GOP cache: a player that starts a stream there (directly, or through a new upstream
     * pull of ours) gets audio at once but video only from the next keyframe, up to one keyframe
     * interval later, and ffmpeg's {@code -t} counts from the first packet of either.
     */
    static long minFramesFromNginx(int seconds) {
        return (long) (seconds - TestMedia.SMALL.keyframeSeconds()) * FPS * 8 / 10;
    }

    private NginxRtmp origin;
    private ManagedProcess originPublisher;
    private Ffmpeg ffmpeg;
    private LogCapture logs;
    private EdgeUnderTest edge;

    @BeforeAll
    void startOriginAndPublisher() {
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        originPublisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
    }

    @AfterAll
    void stopOrigin() {
        if (originPublisher != null) {
            originPublisher.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void captureLogsAndCheckTheOriginPublisher() {
        logs = new LogCapture();
        if (!originPublisher.isAlive()) {
            // Seen once on a loaded machine: the looping ffmpeg publisher to nginx ended on its own.
            System.out.println("origin publisher ended, restarting it: " + originPublisher.describe());
            originPublisher.close();
            int before = Origins.publishes(origin, "s1");
            originPublisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
            Origins.awaitPublishes(origin, "s1", before + 1, WAIT);
        }
    }

    @AfterEach
    void stopEdge() {
        if (edge != null) {
            edge.close();
            edge = null;
        }
        logs.close();
    }

    @Test
    void ffmpegPlaysThroughTheEdgeAndDecodes() {
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());

        Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(4));

        assertTrue(
                result.decodedCleanly() && result.frames() >= minFramesFromNginx(4), () -> result + "\n" + logs.dump());
    }

    @Test
    void rtmpdumpRecordsVideoAndAudioThroughTheEdge() {
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
        Rtmpdump rtmpdump = new Rtmpdump(dir.resolve("logs"));

        Rtmpdump.RecordResult result =
                rtmpdump.play(edge.rtmpUrl("s1"), dir.resolve("edge-rtmpdump.flv"), Duration.ofSeconds(4));

        assertTrue(
                result.packets().video() >= 2L * FPS && result.packets().audio() >= 2L * 40,
                () -> result + "\n" + logs.dump());
    }

    @Test
    void gstreamerPlaysThroughTheEdge() {
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
        Gstreamer gst = new Gstreamer(dir.resolve("logs"));

        Gstreamer.PlayResult result = gst.play(edge.rtmpUrl("s1"), 2 * FPS, Duration.ofSeconds(20));

        assertTrue(result.succeeded(), () -> result + "\n" + logs.dump());
    }

    @Test
    void threeConcurrentPlayersShareOneUpstreamPullThatClosesAfterIdleClose() throws Exception {
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
        int originPlaysBefore = Origins.plays(origin, "s1");
        ExecutorService players = Executors.newFixedThreadPool(3);
        List<Ffmpeg.PlayResult> results = new ArrayList<>();
        try {
            List<CompletableFuture<Ffmpeg.PlayResult>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                running.add(CompletableFuture.supplyAsync(
                        () -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(6)), players));
            }

            logs.await(Pattern.compile("stream live/s1 player joined: .*\\(3 players"), WAIT);
            assertEquals(1, edge.server().upstreamPulls(), logs::dump);
            for (CompletableFuture<Ffmpeg.PlayResult> r : running) {
                results.add(r.join());
            }
        } finally {
            players.shutdownNow();
        }

        for (Ffmpeg.PlayResult result : results) {
            assertTrue(result.decodedCleanly() && result.frames() >= minFramesFromNginx(6), result::toString);
        }
        assertEquals(1, logs.count(Pattern.compile("pull live/s1: attempt")), logs::dump);
        assertEquals(originPlaysBefore + 1, Origins.plays(origin, "s1"), origin::errorLogText);
        logs.await(Pattern.compile("pull live/s1: no players for 1000 ms, closing the upstream"), WAIT);
        Awaitility.await("the upstream pull is gone")
                .atMost(WAIT)
                .until(() -> edge.server().upstreamPulls() == 0);
    }

    @Test
    void publishEdgeForwardsToTheOrigin() {
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
        int publishesBefore = Origins.publishes(origin, "e1");
        try (ManagedProcess publisher = ffmpeg.publish(edge.rtmpUrl("e1"), TestMedia.small(), true)) {
            logs.await(Pattern.compile("push live/e1: forwarding to origin 127\\.0\\.0\\.1:" + origin.port()), WAIT);
            Origins.awaitPublishes(origin, "e1", publishesBefore + 1, WAIT);

            Ffmpeg.PlayResult result = ffmpeg.play(origin.rtmpUrl("e1"), Duration.ofSeconds(4));

            assertTrue(
                    result.decodedCleanly() && result.frames() >= minFramesFromNginx(4),
                    () -> result + "\n" + publisher.describe() + "\n" + logs.dump());
        }
    }

    @Test
    void failsOverFromADeadOriginToTheLiveOne() {
        int dead = FreePorts.pick();
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, dead, origin.port());

        Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(4));

        assertTrue(
                result.decodedCleanly() && result.frames() >= minFramesFromNginx(4), () -> result + "\n" + logs.dump());
        String deadOrigin = Pattern.quote("127.0.0.1:" + dead);
        String liveOrigin = Pattern.quote("127.0.0.1:" + origin.port());
        assertEquals(1, logs.count(Pattern.compile("pull live/s1: attempt 1 to origin " + deadOrigin)), logs::dump);
        // The other origin is asked at once (no head start left to wait for) and kept.
        assertEquals(
                1,
                logs.count(Pattern.compile(
                        "pull live/s1: the preferred origin failed; asking \\[" + liveOrigin + "\\] at once")),
                logs::dump);
        assertEquals(
                1,
                logs.count(Pattern.compile("pull live/s1: origin " + deadOrigin + " failed: connect failed: .*"
                        + "; waiting for the other origins asked at once \\(1 consecutive failures\\)")),
                logs::dump);
        assertEquals(0, logs.count(Pattern.compile("pull live/s1: attempt 2 to origin")), logs::dump);
        assertEquals(
                1, logs.count(Pattern.compile("pull live/s1: media flowing (again )?from " + liveOrigin)), logs::dump);
    }
}
