package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.stream.TestFrames;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks by well-formed but hostile sessions, beside a healthy stream ({@link HostileFixture}):
 * a command flood, a publisher faster than real time, a second publisher of the live stream,
 * extended timestamps that jump backwards, a player that never reads and one that stops acknowledging.
 */
class SessionAttacksRealPeersTest {

    private static final String LIMITS = """
            queue_length = 3s
            queue_max_bytes = 256KiB
            limits { max_commands_per_second = 50, command_burst = 200, publish_lead_warn = 2s, publish_lead_max = 5s,
                     ack_warn_windows = 2, ack_max_windows = 3 }
            """;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static HostileFixture fixture;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        fixture = HostileFixture.start(dir, LIMITS);
        group = Transports.newGroup(1, "session-attack-players");
    }

    @AfterAll
    static void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** 1000 createStream commands in one write: the 200-command burst is spent, the connection closed. */
    @Test
    void aCommandFloodIsCutOffAtTheBurst() {
        HostileFixture.Window window = fixture.window("command flood");
        HostileFixture.Counted violations = fixture.counted("rtmp.protocol.violations", "kind", "command_flood");
        try (RawRtmpClient attacker = RawRtmpClient.connectedToApp(fixture.port())) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                flood.writeBytes(attacker.encode(new CommandMessage(0, Commands.createStream(10 + i))));
            }
            attacker.sendRaw(flood.toByteArray());
            fixture.awaitLogged(
                    attacker.localPort(),
                    "command flood: more than 50 commands a second \\(burst 200\\); last was createStream");
            fixture.assertClosed(attacker, "command flood: over 50 commands a second");
        }
        violations.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * A publisher that sends 40 ms frames as fast as it can: logged and counted once its media runs
     * 2 s ahead of the wall clock, closed at 5 s. A player of that stream is protected meanwhile by
     * its own backlog bound and stays connected.
     */
    @Test
    void aPublisherFasterThanRealTimeIsLoggedThenDisconnected() throws Exception {
        HostileFixture.Window window = fixture.window("publisher faster than real time");
        HostileFixture.Counted violations = fixture.counted("rtmp.protocol.violations", "kind", "publish_ahead");
        try (RawRtmpClient attacker = RawRtmpClient.publishing(fixture.port(), "fast", HostileFixture.WAIT);
                TinyRtmpPlayer player = TinyRtmpPlayer.play(group, fixture.port(), EdgeUnderTest.APP, "fast")) {
            attacker.send(new VideoMessage(0, 1, TestFrames.avcHeader()));
            long started = System.nanoTime();
            int frames = 0;
            try {
                for (long ts = 0; ts <= 60_000; ts += 40) {
                    attacker.send(new VideoMessage(
                            ts, 1, ts % 2000 == 0 ? TestFrames.avcKey(20_000, 1) : TestFrames.avcInter(20_000, 2)));
                    frames++;
                }
            } catch (java.io.UncheckedIOException closedUnderUs) {
                // the server closed the connection while we were still sending
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            window.sampleDuring();
            assertTrue(attacker.closedByServerWithin(HostileFixture.WAIT));
            System.out.printf(
                    "[hostile] fast publisher: %d frames (%d ms of media) sent in %d ms%n",
                    frames, frames * 40L, millis);
            fixture.awaitLogged(
                    attacker.localPort(),
                    "publishing live/fast faster than real time: "
                            + "media \\d+ ms ahead of the wall clock \\(publish_lead_warn 2000 ms\\)");
            fixture.awaitClose(
                    attacker.localPort(), "publishing faster than real time: media \\d+ ms ahead of the wall clock");
            player.firstKeyframeNanos().get(HostileFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(player.connected(), "the player of the fast stream stays");
        }
        violations.assertIncreasedBy(1);
        window.assertUnharmed(48);
    }

    @Test
    void aSecondPublisherOfTheLiveStreamIsRefusedWithBadName() {
        HostileFixture.Window window = fixture.window("second publisher of the live stream");
        HostileFixture.Counted violations = fixture.counted("rtmp.protocol.violations", "kind", "stream_busy");
        try (RawRtmpClient attacker = RawRtmpClient.connectedToApp(fixture.port())) {
            attacker.send(new CommandMessage(
                    1, new PublishRequest(HostileFixture.HEALTHY, PublishRequest.Type.LIVE).toCommand(0)));
            attacker.awaitStatus("NetStream.Publish.BadName", HostileFixture.WAIT);
            fixture.awaitLogged(attacker.localPort(), "refusing to publish live/healthy: it already has a publisher");
            fixture.assertClosed(attacker, "publish rejected: Stream live/healthy is already being published");
        }
        violations.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * Timestamps past 0xFFFFFF (sent as extended timestamps) that jump back by more than four hours
     * in the middle of the stream: the player's timeline never goes back, keeps advancing, and it
     * keeps receiving.
     */
    @Test
    void extendedTimestampsJumpingBackwardsKeepThePlayersTimelineMonotonic() throws Exception {
        HostileFixture.Window window = fixture.window("extended timestamps jumping backwards");
        long high = 0x2000000L;
        long low = 0x1000100L;
        try (RawRtmpClient publisher = RawRtmpClient.publishing(fixture.port(), "backwards", HostileFixture.WAIT);
                TinyRtmpPlayer player = TinyRtmpPlayer.play(group, fixture.port(), EdgeUnderTest.APP, "backwards")) {
            publisher.send(new VideoMessage(high, 1, TestFrames.avcHeader()));
            publisher.send(new VideoMessage(high, 1, TestFrames.avcKey(2_000, 1)));
            player.firstKeyframeNanos().get(HostileFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 1; i <= 20; i++) {
                publisher.send(new VideoMessage(high + i * 40L, 1, TestFrames.avcInter(1_000, 2)));
            }
            for (int i = 0; i <= 20; i++) {
                publisher.send(new VideoMessage(
                        low + i * 40L, 1, i == 0 ? TestFrames.avcKey(2_000, 1) : TestFrames.avcInter(1_000, 2)));
            }
            Awaitility.await().atMost(HostileFixture.WAIT).until(() -> player.videoMessages() >= 42);
            System.out.printf(
                    "[hostile] backwards timestamps: player got %d video messages, last timestamp %d (0x%X), %d regressions%n",
                    player.videoMessages(),
                    player.lastVideoTimestamp(),
                    player.lastVideoTimestamp(),
                    player.videoTimestampRegressions());
            assertEquals(0, player.videoTimestampRegressions(), "the player's timeline went back");
            // The jump back is a discontinuity: the 20 frames after it continue 40 ms apart after
            // the last one before it, one 40 ms session gap later (clamping would give them all that
            // one's timestamp).
            assertEquals(
                    high + 20 * 40L + 40L + 20 * 40L,
                    player.lastVideoTimestamp(),
                    "timeline at " + player.lastVideoTimestamp());
            assertTrue(player.connected());
        }
        window.assertUnharmed(16);
    }

    /**
     * A player that reads everything but never acknowledges (we announce a 2.5 MB window): reported
     * past 2 windows, disconnected past 3 (this class's limits; by default it is only reported). The
     * healthy players, which acknowledge, are never reported.
     */
    @Test
    void aPlayerThatStopsAcknowledgingIsReportedThenDisconnected() throws Exception {
        HostileFixture.Window window = fixture.window("player that stops acknowledging");
        HostileFixture.Counted violations = fixture.counted("rtmp.protocol.violations", "kind", "ack_stalled");
        try (RawRtmpClient publisher = RawRtmpClient.publishing(fixture.port(), "no-acks", HostileFixture.WAIT);
                TinyRtmpPlayer player =
                        TinyRtmpPlayer.playWithoutAcknowledging(group, fixture.port(), EdgeUnderTest.APP, "no-acks")) {
            publisher.send(new VideoMessage(0, 1, TestFrames.avcHeader()));
            long ts = 0;
            // 250 kB frames, 10 at a time, each batch received before the next: nothing is dropped,
            // and the media (30 ms a frame) stays behind the wall clock's publish_lead_warn.
            for (int batch = 0; batch < 5 && player.connected(); batch++) {
                long target = player.videoMessages() + 10;
                for (int i = 0; i < 10; i++, ts += 30) {
                    publisher.send(new VideoMessage(
                            ts, 1, i == 0 ? TestFrames.avcKey(250_000, 1) : TestFrames.avcInter(250_000, 2)));
                }
                Awaitility.await()
                        .atMost(HostileFixture.WAIT)
                        .until(() -> player.videoMessages() >= target || !player.connected());
            }
            fixture.awaitLogged(
                    player.localPort(),
                    "player stopped acknowledging: \\d+ bytes unacknowledged \\(ack_warn_windows 2 x 2500000, last ack 0\\)");
            fixture.awaitClose(
                    player.localPort(), "player of live/no-acks, not acknowledging: \\d+ bytes unacknowledged");
            System.out.printf(
                    "[hostile] player that stops acknowledging: %d video messages received before the close%n",
                    player.videoMessages());
        }
        violations.assertIncreasedBy(1);
        assertEquals(1, fixture.logs.count(Pattern.compile("player stopped acknowledging")), "only the attacker");
        window.assertUnharmed(48);
    }

    /**
     * A player of the healthy stream that stops reading (the case SlowPlayerRealPeersTest covers
     * against a decoding ffmpeg): here the meters, the memory bound and the other players' timelines.
     */
    @Test
    void aPlayerThatNeverReadsIsCutBackThenDisconnectedWithinQueueLength() throws Exception {
        HostileFixture.Window window = fixture.window("player that never reads");
        HostileFixture.Counted disconnects = fixture.counted("rtmp.slow.disconnects", "role", "player");
        HostileFixture.Counted drops = fixture.counted("rtmp.messages.dropped", "reason", "slow_player");
        try (TinyRtmpPlayer stuck = TinyRtmpPlayer.playWithReceiveBuffer(
                group, fixture.port(), EdgeUnderTest.APP, HostileFixture.HEALTHY, 8 * 1024)) {
            stuck.firstKeyframeNanos().get(HostileFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
            stuck.stopReading();
            fixture.logs.await(
                    Pattern.compile("player 127\\.0\\.0\\.1:" + stuck.localPort() + " of live/healthy fell behind"),
                    HostileFixture.WAIT);
            window.sampleDuring();
            fixture.awaitLogged(stuck.localPort(), "disconnecting slow player: no progress for 3000 ms");
            fixture.awaitClose(stuck.localPort(), "player of live/healthy, too slow");
        }
        disconnects.assertIncreasedBy(1);
        double dropped = drops.increase();
        System.out.printf(
                "[hostile] player that never reads: %d messages dropped before it was disconnected%n", (long) dropped);
        assertTrue(dropped > 0);
        window.assertUnharmed(16);
    }
}
