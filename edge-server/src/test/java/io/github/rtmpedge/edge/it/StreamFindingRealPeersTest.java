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
 * Our edge (defaults) in front of two nginx origins, A then B, finding a stream wherever it is:
 * nginx answers Play.Start for any name and then stays silent, so only media tells.
 */
class StreamFindingRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private NginxRtmp a;
    private NginxRtmp b;
    private Ffmpeg ffmpeg;
    private final List<ManagedProcess> publishers = new ArrayList<>();
    private final List<TinyRtmpPlayer> players = new ArrayList<>();
    private LogCapture logs;
    private EdgeUnderTest edge;
    private EventLoopGroup clientGroup;

    @BeforeEach
    void startOriginsAndEdge() {
        logs = new LogCapture();
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        a = NginxRtmp.builder(dir.resolve("origin-a")).waitKey(true).start();
        b = NginxRtmp.builder(dir.resolve("origin-b")).waitKey(true).start();
        edge = EdgeUnderTest.remote(dir.resolve("edge"), "", a.port(), b.port());
        clientGroup = Transports.newGroup(1, "it-client");
    }

    @AfterEach
    void stopAll() {
        players.forEach(TinyRtmpPlayer::close);
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        publishers.forEach(ManagedProcess::close);
        edge.close();
        a.close();
        b.close();
        logs.close();
    }

    @Test
    void aStreamOnlyOnTheSecondOriginIsFound() throws Exception {
        publishers.add(ffmpeg.publish(b.rtmpUrl("s2"), TestMedia.small(), true));
        Origins.awaitPublishes(b, "s2", 1, WAIT);
        TinyRtmpPlayer player = play("s2");

        long firstKeyframe = player.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(firstKeyframe - player.connectStartedNanos());
        System.out.println("MEASURE second_origin_first_keyframe_ms=" + millis);
        logs.await(Pattern.compile("pull live/s2: media flowing from 127\\.0\\.0\\.1:" + b.port()), WAIT);
        // Round robin asked A first (the pool's first upstream), which had nothing to send: B was asked
        // after A's head start and kept, A closed without waiting for its stall.
        logs.await(
                Pattern.compile(
                        "pull live/s2: no media from the preferred origin after 300 ms; asking \\[127\\.0\\.0\\.1:"
                                + b.port() + "\\] at once"),
                WAIT);
        assertEquals(0, logs.count(Pattern.compile("pull live/s2: origin .* failed")), logs::dump);
        assertTrue(millis < 2500, () -> millis + " ms to the first keyframe\n" + logs.dump());
    }

    @Test
    void playersFollowAnEncoderThatMovesToTheOtherOrigin() {
        ManagedProcess onA = ffmpeg.publish(a.rtmpUrl("s1"), TestMedia.small(), true);
        publishers.add(onA);
        Origins.awaitPublishes(a, "s1", 1, WAIT);
        for (int i = 0; i < 3; i++) {
            play("s1");
        }
        logs.await(Pattern.compile("pull live/s1: media flowing from 127\\.0\\.0\\.1:" + a.port()), WAIT);
        for (TinyRtmpPlayer player : players) {
            Awaitility.await("media for every player")
                    .atMost(WAIT)
                    .until(() -> player.videoMessages() > 2L * TestMedia.SMALL.fps());
            player.resetSilence();
        }

        onA.close(); // the encoder leaves A ...
        Awaitility.await("one second with no publisher anywhere")
                .pollDelay(Duration.ofSeconds(1))
                .atMost(WAIT)
                .until(() -> Origins.publishes(b, "s1") == 0);
        publishers.add(ffmpeg.publish(b.rtmpUrl("s1"), TestMedia.small(), true)); // ... and comes to B
        logs.await(Pattern.compile("pull live/s1: media flowing again from 127\\.0\\.0\\.1:" + b.port()), WAIT);
        long before = players.get(0).videoMessages();
        Awaitility.await("media from B")
                .atMost(WAIT)
                .until(() -> players.get(0).videoMessages() > before + 3L * TestMedia.SMALL.fps());

        long longest = players.stream()
                .mapToLong(TinyRtmpPlayer::longestSilenceMillis)
                .max()
                .orElseThrow();
        System.out.println("MEASURE encoder_move_longest_silence_ms=" + longest);
        assertTrue(longest <= 3500, () -> "longest silence " + longest + " ms\n" + logs.dump());
        for (TinyRtmpPlayer player : players) {
            assertTrue(player.connected(), () -> "a player was closed\n" + logs.dump());
            assertEquals(0, player.videoTimestampRegressions(), () -> "timestamps went back\n" + logs.dump());
        }
        assertEquals(0, logs.count(Pattern.compile("player left")), logs::dump);
    }

    @Test
    void aStreamThatIsNowhereKeepsItsPlayersWaitingWithBoundedAttempts() throws Exception {
        TinyRtmpPlayer player = play("s3");
        long started = System.nanoTime();
        logs.await(Pattern.compile("pull live/s3: origin .* failed.*\\(4 consecutive failures\\)"), WAIT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long attempts = logs.count(Pattern.compile("pull live/s3: attempt \\d+ to origin"));
        long asks = logs.count(Pattern.compile("pull live/s3: .*; asking \\[.*\\] at once"));
        System.out.println("MEASURE nowhere_attempts=" + attempts + " asks=" + asks + " in_ms=" + elapsedMillis);
        // One round (the preferred origin, then the other asked at once) per stall_timeout (3 s) at
        // most, the rounds then backed off.
        assertTrue(attempts <= elapsedMillis / 3000 + 1, () -> attempts + " attempts in " + elapsedMillis + " ms");
        assertTrue(asks <= attempts, () -> asks + " rounds of asks for " + attempts + " attempts");
        assertTrue(player.connected(), logs::dump);

        // When the stream appears, the waiting player gets it.
        publishers.add(ffmpeg.publish(b.rtmpUrl("s3"), TestMedia.small(), true));
        player.firstKeyframeNanos().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(player.connected(), logs::dump);
    }

    private TinyRtmpPlayer play(String stream) {
        TinyRtmpPlayer player = TinyRtmpPlayer.play(clientGroup, edge.port(), "live", stream);
        players.add(player);
        return player;
    }
}
