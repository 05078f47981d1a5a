package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player that stops reading beside one that decodes at full rate. The 720p benchmark file
 * (~2.1 Mbps) is published so that the slow connection's buffers (Netty's 1 MiB high water mark
 * plus a small socket buffer) fill within seconds.
 */
class SlowPlayerRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUES = "queue_length = 3s\nqueue_max_bytes = 256KiB";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private LogCapture logs;
    private EdgeUnderTest edge;
    private ManagedProcess publisher;
    private EventLoopGroup clientGroup;
    private final ExecutorService players = Executors.newSingleThreadExecutor();

    @BeforeEach
    void startServerAndPublisher() {
        Path media = TestMedia.benchmark720p(); // made once and cached; before the server so its time is not counted
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), QUEUES);
        publisher = new Ffmpeg(dir.resolve("logs")).publish(edge.rtmpUrl("s1"), media, true);
        logs.await(Pattern.compile("stream live/s1 source attached"), WAIT);
        clientGroup = Transports.newGroup(1, "it-client");
    }

    @AfterEach
    void stopAll() {
        players.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        edge.close();
        logs.close();
    }

    @Test
    void aPlayerThatStopsReadingIsCutBackAndDroppedWhileAnotherDecodesInRealTime() throws Exception {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        int fps = TestMedia.BENCHMARK_720P.fps();
        int seconds = 8;
        try (TinyRtmpPlayer slow =
                TinyRtmpPlayer.playWithReceiveBuffer(clientGroup, edge.port(), "live", "s1", 8 * 1024)) {
            slow.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            slow.stopReading();
            AtomicLong fastMillis = new AtomicLong();
            CompletableFuture<Ffmpeg.PlayResult> fast = CompletableFuture.supplyAsync(
                    () -> {
                        long started = System.nanoTime();
                        Ffmpeg.PlayResult played = ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(seconds));
                        fastMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        return played;
                    },
                    players);

            String slowPlayer = "player 127\\.0\\.0\\.1:" + slow.localPort() + " of live/s1";
            logs.await(
                    Pattern.compile(slowPlayer + " fell behind \\(backlog over 3000 ms or 262144 bytes\\): dropped"),
                    WAIT);
            logs.await(
                    Pattern.compile("127\\.0\\.0\\.1:" + slow.localPort()
                            + ": disconnecting slow player: no progress for 3000 ms"),
                    WAIT);
            // The client reads nothing, so it would not see the close: the server's close line tells.
            logs.await(
                    Pattern.compile("close /127\\.0\\.0\\.1:" + slow.localPort() + ": player of live/s1, too slow"),
                    WAIT);
            Ffmpeg.PlayResult result = fast.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
            long elapsedMillis = fastMillis.get();

            assertTrue(
                    result.decodedCleanly() && result.frames() >= (long) seconds * fps * 8 / 10,
                    () -> "the fast player suffered: " + result + "\n" + logs.dump());
            // Real time: the media time played, less the cached GOP sent at once, plus start-up.
            assertTrue(elapsedMillis < (seconds + 4) * 1000L, () -> "the fast player took " + elapsedMillis + " ms");
            assertEquals(1, logs.count(Pattern.compile("disconnecting slow player")), logs::dump);
            assertEquals(
                    0,
                    logs.count(Pattern.compile(
                            "player 127\\.0\\.0\\.1:(?!" + slow.localPort() + ")\\d+ of live/s1 fell behind")),
                    logs::dump);
        }
    }
}
