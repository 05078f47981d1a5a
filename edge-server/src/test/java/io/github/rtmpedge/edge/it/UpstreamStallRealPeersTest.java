package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.StreamSnapshot;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our edge in front of two nginx origins that both carry the stream, when the one it pulls from
 * hangs (SIGSTOP: TCP stays open, no bytes come): the pull is given up after stall_timeout and the
 * players, still connected, get the stream from the other origin.
 */
class UpstreamStallRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern FLOWING_FROM =
            Pattern.compile("pull live/s1: media flowing from 127\\.0\\.0\\.1:(\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<NginxRtmp> origins = new ArrayList<>();
    private final List<ManagedProcess> publishers = new ArrayList<>();
    private final List<TinyRtmpPlayer> players = new ArrayList<>();
    private NginxRtmp stopped;
    private LogCapture logs;
    private EdgeUnderTest edge;
    private EventLoopGroup clientGroup;

    @BeforeEach
    void startOriginsAndEdge() {
        logs = new LogCapture();
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        for (String name : List.of("a", "b")) {
            NginxRtmp origin = NginxRtmp.builder(dir.resolve("origin-" + name))
                    .waitKey(true)
                    .start();
            origins.add(origin);
            publishers.add(ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true));
        }
        for (NginxRtmp origin : origins) {
            Origins.awaitPublishes(origin, "s1", 1, WAIT);
        }
        // The defaults (stall_timeout, retry): what an operator gets.
        edge = EdgeUnderTest.remote(
                dir.resolve("edge"), "", origins.get(0).port(), origins.get(1).port());
        clientGroup = Transports.newGroup(1, "it-client");
    }

    @AfterEach
    void stopAll() {
        if (stopped != null && stopped.isRunning()) {
            stopped.process().signal("CONT"); // a stopped process would only die on SIGKILL after the grace
        }
        players.forEach(TinyRtmpPlayer::close);
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        publishers.forEach(ManagedProcess::close);
        if (edge != null) {
            edge.close();
        }
        origins.forEach(NginxRtmp::close);
        logs.close();
    }

    @Test
    void playersMoveToTheOtherOriginWhenTheirOriginHangs() throws Exception {
        for (int i = 0; i < 3; i++) {
            players.add(TinyRtmpPlayer.play(clientGroup, edge.port(), "live", "s1"));
        }
        logs.await(FLOWING_FROM, WAIT);
        for (TinyRtmpPlayer player : players) {
            Awaitility.await("media for every player")
                    .atMost(WAIT)
                    .until(() -> player.videoMessages() > 2L * TestMedia.SMALL.fps());
            player.resetSilence(); // only the silence from the hang on counts
        }
        int inUse = port(logs.matching(FLOWING_FROM).get(0));
        stopped = origins.stream().filter(o -> o.port() == inUse).findFirst().orElseThrow();
        NginxRtmp other =
                origins.stream().filter(o -> o.port() != inUse).findFirst().orElseThrow();

        stopped.process().signal("STOP");
        long hungAt = System.nanoTime();
        long hungAtMillis = System.currentTimeMillis();
        logs.await(Pattern.compile("pull live/s1: media flowing again from 127\\.0\\.0\\.1:" + other.port()), WAIT);
        long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
        long before = players.get(0).videoMessages();
        // Some seconds of media from the other origin, so a silence still going on would show.
        Awaitility.await("media from the other origin")
                .atMost(WAIT)
                .until(() -> players.get(0).videoMessages() > before + 3L * TestMedia.SMALL.fps());

        long longest = players.stream()
                .mapToLong(TinyRtmpPlayer::longestSilenceMillis)
                .max()
                .orElseThrow();
        System.out.println("MEASURE stall_failover_recovered_ms=" + recoveredMillis);
        System.out.println("MEASURE stall_failover_longest_silence_ms=" + longest);
        assertTrue(longest <= 5000, () -> "longest silence " + longest + " ms\n" + logs.dump());
        for (TinyRtmpPlayer player : players) {
            assertTrue(player.connected(), () -> "a player was closed\n" + logs.dump());
            assertEquals(0, player.videoTimestampRegressions(), () -> "timestamps went back\n" + logs.dump());
        }
        assertEquals(0, logs.count(Pattern.compile("player left")), logs::dump);
        // The operator sees where the stream comes from now, since when, and that it moved once.
        LiveStream stream = edge.server().streams().streams().iterator().next();
        StreamSnapshot snapshot = stream.loop().submit(stream::snapshot).get();
        assertEquals("127.0.0.1:" + other.port(), snapshot.origin());
        assertEquals(1, snapshot.failovers());
        assertTrue(snapshot.originSinceMillis() >= hungAtMillis, snapshot::toString);
        assertEquals(
                1.0,
                edge.server()
                        .metrics()
                        .registry()
                        .get("rtmp.upstream.stalls")
                        .tag("direction", "pull")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                edge.server()
                        .metrics()
                        .registry()
                        .get("rtmp.upstream.failures")
                        .tags("direction", "pull", "reason", "stalled")
                        .counter()
                        .count());
        var recovery = edge.server()
                .metrics()
                .registry()
                .get("rtmp.upstream.recovery")
                .tag("direction", "pull")
                .timer();
        System.out.println("MEASURE stall_failover_recovery_timer_ms=" + (long) recovery.max(TimeUnit.MILLISECONDS));
        assertEquals(1, recovery.count());
        // One line says why the origin was given up, with how long it was silent.
        assertEquals(
                1,
                logs.count(Pattern.compile("pull live/s1: origin 127\\.0\\.0\\.1:" + inUse
                        + " failed: stalled: no media for \\d+ ms \\(origin went silent\\); retrying with 127\\.0\\.0\\.1:"
                        + other.port() + " in 0 ms")),
                logs::dump);
    }

    private static int port(String line) {
        Matcher m = FLOWING_FROM.matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }
}
