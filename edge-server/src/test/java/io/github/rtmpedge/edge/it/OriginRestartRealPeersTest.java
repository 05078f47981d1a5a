package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.Rtmpdump;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Our edge while its nginx origin is killed and started again on the same port. */
class OriginRestartRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FPS = TestMedia.SMALL.fps();
    private static final String EDGE =
            "cluster { idle_close = 1s, retry { initial_backoff = 300ms, max_backoff = 2s, jitter = 0 } }";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private NginxRtmp origin;
    private Ffmpeg ffmpeg;
    private LogCapture logs;
    private EdgeUnderTest edge;
    private final List<ManagedProcess> publishers = new ArrayList<>();
    private final ExecutorService players = Executors.newFixedThreadPool(2);

    @BeforeEach
    void startOriginAndEdge() {
        logs = new LogCapture();
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        edge = EdgeUnderTest.remote(dir.resolve("edge"), EDGE, origin.port());
    }

    @AfterEach
    void stopAll() {
        players.shutdownNow();
        publishers.forEach(ManagedProcess::close);
        edge.close();
        origin.close();
        logs.close();
    }

    @Test
    void playersStayConnectedThroughAnOriginRestartAndGetMediaAfterIt() throws Exception {
        publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));
        Origins.awaitPublishes(origin, "s1", 1, WAIT);
        Path recording = dir.resolve("through-restart.flv");
        Rtmpdump rtmpdump = new Rtmpdump(dir.resolve("logs"));
        long playStarted = System.nanoTime();
        CompletableFuture<Rtmpdump.RecordResult> recorder = CompletableFuture.supplyAsync(
                () -> rtmpdump.play(edge.rtmpUrl("s1"), recording, Duration.ofSeconds(16)), players);
        CompletableFuture<Ffmpeg.PlayResult> decoder =
                CompletableFuture.supplyAsync(() -> ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(10)), players);
        logs.await(Pattern.compile("stream live/s1 player joined: .*\\(2 players"), WAIT);
        logs.await(Pattern.compile("pull live/s1: media flowing from"), WAIT);
        // Both players are established: past their start-up (probing), with a few seconds recorded.
        Awaitility.await("rtmpdump records").atMost(WAIT).until(() -> size(recording) > 60_000);

        origin.stop();
        long killed = System.nanoTime();
        logs.await(Pattern.compile("pull live/s1: origin .* failed: .*\\(2 consecutive failures\\)"), WAIT);
        long sizeDuringOutage = size(recording);
        origin.start();
        publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));
        Origins.awaitPublishes(origin, "s1", 2, WAIT); // nginx appends to its error log across restarts
        logs.await(Pattern.compile("pull live/s1: media flowing again from"), WAIT);
        Awaitility.await("the recording grows after the restart")
                .atMost(WAIT)
                .until(() -> size(recording) > sizeDuringOutage + 20_000);
        assertEquals(
                0,
                logs.count(Pattern.compile("player left")),
                () -> logs.dump() + "\n" + decoder.getNow(null) + "\n" + recorder.getNow(null));

        Ffmpeg.PlayResult decoded = decoder.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
        Rtmpdump.RecordResult recorded = recorder.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
        // Before the kill a player could have had at most the time it played, plus the cached GOP.
        long possibleBeforeKill =
                (TimeUnit.NANOSECONDS.toSeconds(killed - playStarted) + 1 + TestMedia.SMALL.keyframeSeconds()) * FPS;
        assertTrue(
                decoded.exitCode() == 0
                        && !decoded.timedOut()
                        && decoded.errorLines().isEmpty()
                        && decoded.frames() > possibleBeforeKill,
                () -> "ffmpeg should decode more than the " + possibleBeforeKill + " frames possible before the kill: "
                        + decoded + "\n" + logs.dump());
        assertTrue(recorded.stoppedByUs(), () -> "rtmpdump left before the end: " + recorded);
        List<Long> dts = videoDts(recording);
        assertTrue(dts.size() > 8 * FPS, () -> "video packets in the recording: " + dts.size());
        for (int i = 1; i < dts.size(); i++) {
            long previous = dts.get(i - 1);
            long current = dts.get(i);
            assertTrue(
                    current >= previous, "video DTS went back from " + previous + " to " + current + " at packet " + i);
        }
        assertEquals(
                1,
                logs.count(Pattern.compile(
                        "pull live/s1: origin .* failed: .*; retrying with .* in 300 ms \\(1 consecutive failures\\)")),
                logs::dump);
        assertEquals(
                1,
                logs.count(Pattern.compile(
                        "pull live/s1: origin .* failed: connect failed: .*; no origin answers, waiting for the first to"
                                + " answer its probe \\(2 consecutive failures\\)")),
                logs::dump);
    }

    @Test
    void publishEdgeKeepsItsPublisherThroughAnOriginRestart() {
        ManagedProcess publisher = ffmpeg.publish(edge.rtmpUrl("p1"), TestMedia.small(), true);
        publishers.add(publisher);
        logs.await(Pattern.compile("push live/p1: forwarding to origin"), WAIT);
        Origins.awaitPublishes(origin, "p1", 1, WAIT);

        origin.stop();
        logs.await(Pattern.compile("push live/p1: origin .* failed: .*retrying"), WAIT);
        origin.start();
        logs.await(Pattern.compile("push live/p1: forwarding to .* again"), WAIT);
        Origins.awaitPublishes(origin, "p1", 2, WAIT);
        Ffmpeg.PlayResult result = ffmpeg.play(origin.rtmpUrl("p1"), Duration.ofSeconds(4));

        assertTrue(
                result.decodedCleanly() && result.frames() >= PlayEdgeRealPeersTest.minFramesFromNginx(4),
                () -> result + "\n" + logs.dump());
        assertTrue(publisher.isAlive(), publisher::describe);
        assertEquals(0, logs.count(Pattern.compile("stopped publishing live/p1")), logs::dump);
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The video packets' DTS, in file order: {@code ffprobe -show_packets -select_streams v -show_entries packet=dts -of csv}. */
    private List<Long> videoDts(Path flv) {
        try (ManagedProcess probe = ManagedProcess.start(
                "ffprobe-dts",
                dir.resolve("logs"),
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-show_packets",
                        "-select_streams",
                        "v",
                        "-show_entries",
                        "packet=dts",
                        "-of",
                        "csv",
                        flv.toString()))) {
            assertEquals(0, probe.awaitExit(WAIT), probe::describe);
            List<Long> dts = new ArrayList<>();
            for (String line : probe.outputLines()) {
                String[] fields = line.trim().split(",");
                if (fields.length == 2 && fields[0].equals("packet") && fields[1].matches("-?\\d+")) {
                    dts.add(Long.parseLong(fields[1]));
                }
            }
            return dts;
        }
    }
}
