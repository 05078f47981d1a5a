package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.Gstreamer;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.Rtmpdump;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Standalone server (cluster.mode = local, the default) with a looping real-time ffmpeg publisher,
 * played by ffmpeg, rtmpdump, GStreamer and the codec's own client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ATTACHED = Pattern.compile("stream live/s1 source attached: publisher");
    private static final int FPS = TestMedia.SMALL.fps();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private LogCapture logs;
    private EdgeUnderTest edge;
    private Ffmpeg ffmpeg;
    private ManagedProcess publisher;
    private long publishingSinceNanos;
    private EventLoopGroup clientGroup;

    @BeforeAll
    void startServerAndPublisher() {
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), "");
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        publisher = ffmpeg.publish(edge.rtmpUrl("s1"), TestMedia.small(), true);
        logs.await(ATTACHED, WAIT);
        publishingSinceNanos = System.nanoTime();
        clientGroup = Transports.newGroup(1, "it-client");
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

    @Test
    void ffmpegPlaysFourSecondsAndDecodesEveryFrameWithoutErrors() {
        Duration played = Duration.ofSeconds(4);

        Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1"), played);

        long expected = played.toSeconds() * FPS;
        assertTrue(
                result.decodedCleanly() && result.frames() >= expected * 8 / 10,
                () -> "expected >= " + expected * 8 / 10 + " frames without errors: " + result + "\n"
                        + publisher.describe());
    }

    @Test
    void rtmpdumpRecordsVideoAndAudioPackets() {
        Rtmpdump rtmpdump = new Rtmpdump(dir.resolve("logs"));

        Rtmpdump.RecordResult result =
                rtmpdump.play(edge.rtmpUrl("s1"), dir.resolve("rtmpdump.flv"), Duration.ofSeconds(3));

        assertTrue(result.packets().video() >= 2L * FPS && result.packets().audio() >= 2L * 40, result::toString);
    }

    @Test
    void gstreamerRtmp2srcPlays() {
        Gstreamer gst = new Gstreamer(dir.resolve("logs"));

        Gstreamer.PlayResult result = gst.play(edge.rtmpUrl("s1"), 2 * FPS, Duration.ofSeconds(20));

        assertTrue(result.succeeded(), result::toString);
    }

    @Test
    void secondPublisherOfTheSameStreamIsRefusedWhileTheFirstGoesOn() {
        try (ManagedProcess second = ffmpeg.publish(edge.rtmpUrl("s1"), TestMedia.small(), true)) {
            int exit = second.awaitExit(WAIT);

            assertNotEquals(0, exit, second::describe);
            logs.await(Pattern.compile("publish rejected: Stream live/s1 is already being published"), WAIT);
            assertTrue(publisher.isAlive(), publisher::describe);
            // The stream still has its source: a new player gets a keyframe.
            try (TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "s1")) {
                Awaitility.await("a keyframe from the first publisher")
                        .atMost(WAIT)
                        .until(() -> player.firstKeyframeNanos().isDone());
            }
            assertEquals(1, logs.count(ATTACHED), logs::dump);
        }
    }

    @Test
    void lateJoinerGetsItsFirstKeyframeWithinOneSecond() throws Exception {
        Awaitility.await("the publisher has run for 2 s")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> System.nanoTime() - publishingSinceNanos > TimeUnit.SECONDS.toNanos(2));
        List<Long> millis = new ArrayList<>();
        for (int join = 0; join < 5; join++) {
            try (TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "s1")) {
                long keyframeAt = player.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                millis.add(TimeUnit.NANOSECONDS.toMillis(keyframeAt - player.connectStartedNanos()));
            }
        }

        List<Long> sorted = millis.stream().sorted().toList();
        System.out.println("LATE-JOINER time to first keyframe (connect → keyframe), 5 joins: " + millis
                + " ms; median " + sorted.get(2) + " ms");
        assertTrue(sorted.get(4) < 1000, () -> "time to first keyframe over 1 s: " + millis + " ms");
    }
}
