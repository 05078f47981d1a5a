package io.github.rtmpedge.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.config.RetryConfig;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The race of a pull's candidate origins, on an embedded loop whose clock the test moves. */
class OriginRaceTest {

    private static final OriginAddress B = new OriginAddress("10.0.0.2", 1935);
    private static final OriginAddress C = new OriginAddress("10.0.0.3", 1935);
    private static final Duration STALL = Duration.ofSeconds(3);

    private final EmbeddedChannel clock = new EmbeddedChannel();
    private final EdgeMetrics metrics = EdgeMetrics.unscraped();
    private final UpstreamMeters meters = new UpstreamMeters(metrics, new TrafficMeters(metrics));
    private final FakeOwner owner = new FakeOwner();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private OriginRace race = race(3);

    @AfterEach
    void stop() {
        race.close();
        owner.asks.keySet().forEach(Channel::close);
        clock.finishAndReleaseAll();
        metrics.close();
        for (ByteBuf b : buffers) {
            assertEquals(0, b.refCnt(), "a message kept by the race was not released");
        }
    }

    @Test
    void theOthersAreAskedOnlyAfterThePreferredOriginsHeadStart() {
        race.begin();
        advance(OriginRace.HEAD_START.toMillis() - 1);
        assertEquals(List.of(), owner.asked);

        advance(1);
        assertEquals(List.of(B, C), owner.asked);
        assertEquals(2, race.running());
    }

    @Test
    void aPreferredOriginThatDeliversWithinItsHeadStartIsTheOnlyOneAsked() {
        race.begin();
        advance(100);
        race.currentWon();
        advance(OriginRace.HEAD_START.toMillis() * 10);
        assertEquals(List.of(), owner.asked);
        assertEquals(0, count("won") + count("lost") + count("failed"));
    }

    @Test
    void theFirstAskToDeliverWinsWithWhatItHeldAndTheOthersAreClosedAndReleased() {
        race.begin();
        advance(OriginRace.HEAD_START.toMillis());
        EmbeddedChannel b = owner.channel(B);
        EmbeddedChannel c = owner.channel(C);
        UpstreamClientHandler.Events atB = owner.asks.get(b);
        UpstreamClientHandler.Events atC = owner.asks.get(c);
        atB.handshook();
        atB.started(b, 1);
        atC.handshook();
        atC.started(c, 1);
        deliver(atC, data()); // C's |RtmpSampleAccess: held, and released when C loses
        deliver(atB, data()); // B's metadata: held, fed before B's first frame
        deliver(atB, video());

        assertSame(B, owner.winner);
        assertEquals(List.of("data", "video"), owner.fed);
        assertFalse(c.isOpen(), "the loser's connection is closed");
        assertTrue(b.isOpen(), "the winner's connection is kept");
        assertEquals(0, race.running());
        assertEquals(1, count("won"));
        assertEquals(2, count("lost")); // C, and the preferred origin still open
        // After the win, the winner's events go to the pull.
        deliver(atB, audio());
        assertEquals(List.of("data", "video", "audio"), owner.fed);
    }

    @Test
    void whenThePreferredOriginFailsTheOthersAreAskedAtOnceAndThePullWaitsForThem() {
        race.begin();
        advance(50);
        assertTrue(race.currentFailed(), "the pull waits for the asks");
        assertEquals(List.of(B, C), owner.asked);

        owner.asks.get(owner.channel(B)).failed("origin says NetStream.Play.StreamNotFound");
        assertEquals(List.of(B), owner.failed);
        assertEquals(List.of(), owner.ended);
        // C answers Play.Start and stays silent: given up after stall_timeout, and the round ends.
        owner.asks.get(owner.channel(C)).handshook();
        owner.asks.get(owner.channel(C)).started(owner.channel(C), 1);
        advance(STALL.toMillis() - 1);
        assertEquals(List.of(), owner.ended);
        advance(1);
        assertEquals(List.of(B, C), owner.failed);
        assertEquals(List.of(C), owner.ended);
        assertEquals(2, count("failed"));
        assertFalse(owner.channel(C).isOpen());
    }

    @Test
    void aPreferredOriginThatDeliversFirstClosesTheAsks() {
        race.begin();
        advance(OriginRace.HEAD_START.toMillis());
        deliver(owner.asks.get(owner.channel(B)), data());
        race.currentWon();
        assertFalse(owner.channel(B).isOpen());
        assertFalse(owner.channel(C).isOpen());
        assertEquals(1, count("won"));
        assertEquals(2, count("lost"));
        assertEquals(List.of(), owner.failed);
    }

    @Test
    void oneAskAtATimeWhenParallelAsksIsOne() {
        race = race(1);
        race.begin();
        advance(OriginRace.HEAD_START.toMillis() * 10);
        assertFalse(race.currentFailed());
        assertEquals(List.of(), owner.asked);
    }

    private OriginRace race(int parallelAsks) {
        clock.freezeTime(); // only advance() moves the loop's clock
        ClusterConfig cluster = new ClusterConfig(
                ClusterConfig.Mode.REMOTE,
                List.of(),
                ClusterConfig.OriginSelection.ROUND_ROBIN,
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                new RetryConfig(Duration.ofMillis(500), Duration.ofSeconds(15), 2.0, 0.3),
                Duration.ofSeconds(5),
                0,
                Duration.ZERO,
                STALL,
                Duration.ofMillis(300),
                parallelAsks);
        UpstreamContext context = new UpstreamContext(cluster, null, null, null, null, 4096, 30_000, meters);
        return new OriginRace(owner, clock.eventLoop(), context);
    }

    private void advance(long millis) {
        clock.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        clock.runScheduledPendingTasks();
        clock.runPendingTasks();
    }

    private double count(String result) {
        return metrics.registry()
                .find("rtmp.upstream.asks")
                .tag("result", result)
                .counter()
                .count();
    }

    private ByteBuf buffer() {
        ByteBuf b = Unpooled.buffer().writeByte(0x17);
        buffers.add(b);
        return b;
    }

    private PayloadMessage data() {
        return new DataMessage(false, 0, 1, buffer());
    }

    private PayloadMessage video() {
        return new VideoMessage(40, 1, buffer());
    }

    private PayloadMessage audio() {
        return new AudioMessage(60, 1, buffer());
    }

    /** As the codec: a message is released after the events' call. */
    private static void deliver(UpstreamClientHandler.Events events, PayloadMessage message) {
        try {
            events.media(message);
        } finally {
            message.release();
        }
    }

    private static final class FakeOwner implements OriginRace.Owner {
        final Map<EmbeddedChannel, UpstreamClientHandler.Events> asks = new LinkedHashMap<>();
        final Map<OriginAddress, EmbeddedChannel> channels = new LinkedHashMap<>();
        final List<OriginAddress> asked = new ArrayList<>();
        final List<OriginAddress> failed = new ArrayList<>();
        final List<OriginAddress> ended = new ArrayList<>();
        final List<String> fed = new ArrayList<>();
        OriginAddress winner;

        EmbeddedChannel channel(OriginAddress origin) {
            return channels.get(origin);
        }

        @Override
        public String key() {
            return "live/s1";
        }

        @Override
        public List<OriginAddress> otherCandidates(int max) {
            return List.of(B, C).subList(0, Math.min(max, 2));
        }

        @Override
        public boolean currentOpen() {
            return true;
        }

        @Override
        public Channel connect(OriginAddress origin, RtmpClientHandler client, UpstreamClientHandler.Events events) {
            EmbeddedChannel ch = new EmbeddedChannel();
            asked.add(origin);
            asks.put(ch, events);
            channels.put(origin, ch);
            return ch;
        }

        @Override
        public RtmpClientHandler client(OriginAddress origin, UpstreamClientHandler.Events events) {
            return null;
        }

        @Override
        public UpstreamClientHandler.Events adopt(OriginAddress w, Channel ch, int streamId) {
            winner = w;
            return new UpstreamClientHandler.Events() {
                @Override
                public void started(Channel channel, int id) {}

                @Override
                public void media(PayloadMessage message) {
                    fed.add(
                            message instanceof VideoMessage
                                    ? "video"
                                    : message instanceof AudioMessage ? "audio" : "data");
                }

                @Override
                public void failed(String reason) {}
            };
        }

        @Override
        public void askFailed(OriginAddress origin, String reason, boolean handshook) {
            failed.add(origin);
        }

        @Override
        public void asksEnded(OriginAddress lastAsked, String reason) {
            ended.add(lastAsked);
        }
    }
}
