package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The real server in this JVM with a healthy stream beside the attacks: ffmpeg publishes the 720p
 * test file in real time ({@code -re}) to {@code live/healthy} and three {@link TinyRtmpPlayer}s
 * play it. An attack is run inside a {@link Window}: it notes the players' media timelines and the
 * memory before, and afterwards asserts that every player stayed connected, that each one's media
 * timeline advanced with the wall clock, and that memory stayed bounded. Figures are printed.
 */
final class HostileFixture implements AutoCloseable {

    static final String HEALTHY = "healthy";
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Shortest window over which the players' media rate is measured (frames are 33 ms apart). */
    static final Duration MIN_WINDOW = Duration.ofSeconds(3);
    /** Media time a healthy player must receive per wall-clock second across an attack. */
    static final double MIN_MEDIA_RATE = 0.9;

    static final long MIB = 1 << 20;

    final LogCapture logs;
    final EdgeUnderTest edge;
    private final ManagedProcess publisher;
    private final EventLoopGroup group;
    private final List<TinyRtmpPlayer> players = new ArrayList<>();

    private HostileFixture(Path dir, String extraHocon) {
        Path media = TestMedia.benchmark720p(); // cached; made before the server starts
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), extraHocon);
        publisher = new Ffmpeg(dir.resolve("logs")).publish(edge.rtmpUrl(HEALTHY), media, true);
        group = Transports.newGroup(1, "healthy-players");
        logs.await(Pattern.compile("stream live/" + HEALTHY + " source attached"), WAIT);
        for (int i = 0; i < 3; i++) {
            players.add(TinyRtmpPlayer.play(group, edge.port(), EdgeUnderTest.APP, HEALTHY));
        }
        for (TinyRtmpPlayer p : players) {
            p.firstKeyframeNanos().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
        // Past the cached GOP they got at once, and a second into live media: measurements start in real time.
        long wallStart = System.nanoTime();
        long[] start =
                players.stream().mapToLong(TinyRtmpPlayer::lastVideoTimestamp).toArray();
        Awaitility.await("healthy players in real time")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (int i = 0; i < players.size(); i++) {
                        if (players.get(i).lastVideoTimestamp() < start[i] + 1000) {
                            return false;
                        }
                    }
                    return System.nanoTime() - wallStart >= TimeUnit.SECONDS.toNanos(1);
                });
    }

    /** Starts the server with {@code extraHocon}, the healthy publisher and its players. */
    static HostileFixture start(Path dir, String extraHocon) {
        return new HostileFixture(dir, extraHocon);
    }

    int port() {
        return edge.port();
    }

    /** Sum of the meter's values with these tags ({@code key, value, ...}), 0 if it has none yet. */
    double count(String meter, String... tags) {
        double sum = 0;
        for (Meter m : edge.server().metrics().registry().find(meter).tags(tags).meters()) {
            for (Measurement measurement : m.measure()) {
                sum += measurement.getValue();
                break;
            }
        }
        return sum;
    }

    /** Client connections the server counts as open. */
    int activeConnections() {
        return edge.server().rtmp().tracker().active();
    }

    /** Waits until the server logged the close of the connection from {@code localPort} with a reason matching {@code reason}. */
    void awaitClose(int localPort, String reason) {
        logs.await(Pattern.compile("close /127\\.0\\.0\\.1:" + localPort + ":.*" + reason), WAIT);
    }

    /** Waits until the server logged {@code message} (a regex) about the connection from {@code localPort}. */
    void awaitLogged(int localPort, String message) {
        logs.await(Pattern.compile("127\\.0\\.0\\.1:" + localPort + ": " + message), WAIT);
    }

    /** Asserts that the server closed {@code attacker}'s connection and logged why ({@code reason}, a regex). */
    void assertClosed(RawRtmpClient attacker, String reason) {
        assertTrue(attacker.closedByServerWithin(WAIT), "the server closed the connection");
        awaitClose(attacker.localPort(), reason);
    }

    /** A counter's value now, to assert by how much an attack moved it. */
    Counted counted(String meter, String... tags) {
        return new Counted(meter, tags, count(meter, tags));
    }

    /** A counter read before an attack. */
    final class Counted {
        private final String meter;
        private final String[] tags;
        private final double before;

        private Counted(String meter, String[] tags, double before) {
            this.meter = meter;
            this.tags = tags;
            this.before = before;
        }

        double increase() {
            return count(meter, tags) - before;
        }

        void assertIncreasedBy(double expected) {
            assertEquals(expected, increase(), meter + " " + String.join("=", tags));
        }
    }

    /** Starts measuring an attack. */
    Window window(String attack) {
        return new Window(attack);
    }

    @Override
    public void close() {
        for (TinyRtmpPlayer p : players) {
            p.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        publisher.close();
        edge.close();
        logs.close();
    }

    /**
     * Heap used after a full GC, and what Netty's allocators hold in use: the channels' (the default
     * allocator, adaptive in Netty 4.2: decoder buffers, outbound chunks) and the pooled one the
     * streams use (GOP caches, shared media chunks), direct and heap together.
     */
    record Memory(long heapAfterGc, long channelBuffers, long streamBuffers) {
        static Memory sample() {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            ByteBufAllocatorMetric channels = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            ByteBufAllocatorMetric streams = PooledByteBufAllocator.DEFAULT.metric();
            return new Memory(
                    heap,
                    channels.usedDirectMemory() + channels.usedHeapMemory(),
                    streams.usedDirectMemory() + streams.usedHeapMemory());
        }

        long buffers() {
            return channelBuffers + streamBuffers;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "heap after GC %.1f MiB, channel buffers %.1f MiB, stream buffers %.1f MiB",
                    heapAfterGc / (double) MIB,
                    channelBuffers / (double) MIB,
                    streamBuffers / (double) MIB);
        }
    }

    /** One attack's measurement: the healthy players' timelines and memory, before and after. */
    final class Window {
        private final String attack;
        private final long startNanos = System.nanoTime();
        private final long[] startTimestamps = new long[players.size()];
        private final Memory before;
        private Memory peak;

        private Window(String attack) {
            this.attack = attack;
            this.before = Memory.sample();
            this.peak = before;
            for (int i = 0; i < players.size(); i++) {
                startTimestamps[i] = players.get(i).lastVideoTimestamp();
            }
        }

        /** Samples memory while the attack is under way (the peak is what is bounded). */
        Memory sampleDuring() {
            Memory now = Memory.sample();
            if (now.buffers() + now.heapAfterGc() > peak.buffers() + peak.heapAfterGc()) {
                peak = now;
            }
            return now;
        }

        /**
         * Asserts, after the attack: every healthy player still connected, each one's media timeline
         * advanced by at least {@link #MIN_MEDIA_RATE} of the wall-clock time (measured over at least
         * {@link #MIN_WINDOW}), and the heap after GC and the allocators' use grew by less than
         * {@code maxGrowthMib} from before the attack, during it and after it.
         */
        void assertUnharmed(long maxGrowthMib) {
            long mergedWriteMillis = edge.server().config().mwLatency().toMillis();
            Awaitility.await()
                    .atMost(MIN_WINDOW.plusSeconds(1))
                    .pollDelay(Duration.ZERO)
                    .until(() -> System.nanoTime() - startNanos >= MIN_WINDOW.toNanos());
            long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
            Memory after = sampleDuring();
            StringBuilder rates = new StringBuilder();
            double worst = Double.MAX_VALUE;
            for (int i = 0; i < players.size(); i++) {
                TinyRtmpPlayer p = players.get(i);
                // Players get media in merged writes, mw_latency apart: either end of the window can
                // fall just before one, so up to one merged write of media is still on its way.
                double rate = (p.lastVideoTimestamp() - startTimestamps[i] + mergedWriteMillis) / (double) wallMillis;
                worst = Math.min(worst, rate);
                rates.append(String.format(Locale.ROOT, " %.3f", rate));
                assertTrue(p.connected(), attack + ": healthy player " + i + " was disconnected\n" + logs.dump());
                assertTrue(p.videoTimestampRegressions() == 0, attack + ": healthy player " + i + " saw time go back");
            }
            System.out.printf(
                    Locale.ROOT,
                    "[hostile] %s: healthy media/wall over %d ms:%s; memory before: %s; peak: %s; after: %s%n",
                    attack,
                    wallMillis,
                    rates,
                    before,
                    peak,
                    after);
            double worstRate = worst;
            assertTrue(
                    worstRate >= MIN_MEDIA_RATE, () -> attack + ": a healthy player's media rate fell to " + worstRate);
            long growth = Math.max(peak.heapAfterGc() - before.heapAfterGc(), 0)
                    + Math.max(peak.buffers() - before.buffers(), 0);
            assertTrue(
                    growth < maxGrowthMib * MIB,
                    () -> attack + ": memory grew by " + growth / MIB + " MiB (before " + before + ", peak " + peak
                            + ")");
        }
    }
}
