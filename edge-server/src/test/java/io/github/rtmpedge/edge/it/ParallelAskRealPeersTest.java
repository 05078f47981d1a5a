package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.ClusterConfig.OriginSelection;
import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.edge.upstream.OriginPool;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our edge in front of three nginx origins asks the candidates at once: the preferred origin first,
 * the others after its head start; the first that delivers media is kept and the others closed.
 */
class ParallelAskRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<NginxRtmp> origins = new ArrayList<>();
    private Ffmpeg ffmpeg;
    private final List<ManagedProcess> publishers = new ArrayList<>();
    private final List<TinyRtmpPlayer> players = new ArrayList<>();
    private LogCapture logs;
    private EdgeUnderTest edge;
    private EventLoopGroup clientGroup;

    @BeforeEach
    void start() {
        logs = new LogCapture();
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        clientGroup = Transports.newGroup(1, "it-client");
    }

    @AfterEach
    void stopAll() {
        players.forEach(TinyRtmpPlayer::close);
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        publishers.forEach(ManagedProcess::close);
        if (edge != null) {
            edge.close();
        }
        origins.forEach(NginxRtmp::close);
        logs.close();
    }

    @Test
    void aStreamOnlyOnTheThirdOriginIsFoundWithinOneStallTimeout() throws Exception {
        NginxRtmp a = origin("a");
        NginxRtmp b = origin("b");
        NginxRtmp c = origin("c");
        publishers.add(ffmpeg.publish(c.rtmpUrl("s3"), TestMedia.small(), true));
        Origins.awaitPublishes(c, "s3", 1, WAIT);
        // Round robin: the first upstream asks a first (the defaults otherwise: stall_timeout 3 s).
        edge = EdgeUnderTest.remote(dir.resolve("edge"), "", a.port(), b.port(), c.port());
        TinyRtmpPlayer player = play("s3");

        long firstKeyframe = player.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(firstKeyframe - player.connectStartedNanos());
        System.out.println("MEASURE third_origin_first_keyframe_ms=" + millis);
        logs.await(Pattern.compile("pull live/s3: media flowing from 127\\.0\\.0\\.1:" + c.port()), WAIT);
        assertTrue(millis < 2500, () -> millis + " ms to the first keyframe\n" + logs.dump());
        // a (the current attempt) and b lost the race and were closed; nothing stalled or was retried.
        Awaitility.await("the asks counted").atMost(WAIT).until(() -> asks("won") == 1 && asks("lost") == 2);
        assertEquals(0, asks("failed"), logs::dump);
        assertEquals(1, logs.count(Pattern.compile("pull live/s3: attempt \\d+ to origin")), logs::dump);
        assertEquals(0, logs.count(Pattern.compile("pull live/s3: origin .* failed")), logs::dump);
        assertEquals(1, Origins.plays(a, "s3"), logs::dump);
        assertEquals(1, Origins.plays(b, "s3"), logs::dump);
        // The losers' connections are closed: nginx logs the edge's disconnect from a and b.
        for (NginxRtmp loser : List.of(a, b)) {
            Awaitility.await("the edge's connection to a loser closed")
                    .atMost(WAIT)
                    .until(() -> loser.errorLogText().contains("disconnect"));
        }

        // Media keeps coming from c alone, with monotonic timestamps.
        long before = player.videoMessages();
        Awaitility.await("media from c")
                .atMost(WAIT)
                .until(() -> player.videoMessages() > before + 2L * TestMedia.SMALL.fps());
        assertEquals(0, player.videoTimestampRegressions(), logs::dump);
        assertTrue(player.connected(), logs::dump);
    }

    @Test
    void whenTwoOriginsCarryTheStreamTheHashedOneIsKept() throws Exception {
        NginxRtmp a = origin("a");
        NginxRtmp b = origin("b");
        // A stream whose hashed origin is b, the second of the list: hashing, not the list, decides.
        OriginPool pool = new OriginPool(
                List.of(new OriginAddress("127.0.0.1", a.port()), new OriginAddress("127.0.0.1", b.port())),
                OriginSelection.CONSISTENT_HASH,
                System::nanoTime);
        String stream = null;
        for (int i = 0; stream == null; i++) {
            String candidate = "h" + i;
            if (pool.order(new StreamKey("live", candidate)).get(0).port() == b.port()) {
                stream = candidate;
            }
        }
        publishers.add(ffmpeg.publish(a.rtmpUrl(stream), TestMedia.small(), true));
        publishers.add(ffmpeg.publish(b.rtmpUrl(stream), TestMedia.small(), true));
        Origins.awaitPublishes(a, stream, 1, WAIT);
        Origins.awaitPublishes(b, stream, 1, WAIT);
        edge = EdgeUnderTest.remote(
                dir.resolve("edge"), "cluster.origin_selection = consistent_hash\n", a.port(), b.port());
        TinyRtmpPlayer player = play(stream);

        long firstKeyframe = player.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(firstKeyframe - player.connectStartedNanos());
        System.out.println("MEASURE hashed_origin_first_keyframe_ms=" + millis);
        String name = stream;
        logs.await(Pattern.compile("pull live/" + name + ": media flowing from 127\\.0\\.0\\.1:" + b.port()), WAIT);
        assertEquals(
                0,
                logs.count(Pattern.compile("pull live/" + name + ": media flowing from 127\\.0\\.0\\.1:" + a.port())),
                logs::dump);
        // The hashed origin delivered within its head start: a was never asked, or lost if it was.
        assertEquals(0, asks("won") - (Origins.plays(a, name) == 0 ? 0 : 1), logs::dump);
        assertEquals(0, asks("failed"), logs::dump);
        assertTrue(player.connected(), logs::dump);
    }

    private NginxRtmp origin(String name) {
        NginxRtmp origin =
                NginxRtmp.builder(dir.resolve("origin-" + name)).waitKey(true).start();
        origins.add(origin);
        return origin;
    }

    private double asks(String result) {
        Counter counter = edge.server()
                .metrics()
                .registry()
                .find("rtmp.upstream.asks")
                .tag("result", result)
                .counter();
        return counter == null ? -1 : counter.count();
    }

    private TinyRtmpPlayer play(String stream) {
        TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", stream);
        players.add(player);
        return player;
    }
}
