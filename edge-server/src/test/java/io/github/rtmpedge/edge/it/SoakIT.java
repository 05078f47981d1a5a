package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NettyLeakGuard;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A soak run: our edge (remote mode) in front of two nginx-rtmp origins, an ffmpeg publisher that
 * moves from one origin to the other each time it reconnects (on its own schedule, and after each
 * restart), origins that are in turn restarted, or hung (SIGSTOP: TCP open, no bytes, for longer
 * than stall_timeout) while the encoder moves away from them, and players joining and leaving the
 * edge continuously. Most players leave gracefully
 * (closeStream, then they read until the server's {@code NetStream.Play.Stop} and StreamEOF); some
 * just disconnect.
 *
 * <p>At the end: no Netty leak report; heap after GC flat (the last third of the samples not above
 * the first third beyond a tolerance); no stream, upstream or connection left behind once the
 * players left; and for every graceful player, the media messages it received equal what the edge
 * offered it minus what was counted as dropped for it (the figures of its close log line): nothing
 * lost beyond the silences; and no player closed by the edge.
 *
 * <p>{@code -Dsoak.duration=30m -Dit.fork.timeout=3000} for the long run (default 2 minutes); the origin is restarted
 * every minute, or every quarter of a shorter run; the events alternate, a restart first, then a hang.
 */
class SoakIT {

    private static final Duration DURATION =
            Duration.parse("PT" + System.getProperty("soak.duration", "2m").toUpperCase(Locale.ROOT));
    private static final Duration RESTART_EVERY =
            DURATION.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0 ? DURATION.dividedBy(4) : Duration.ofMinutes(1);
    private static final Duration PUBLISHER_RECONNECT_EVERY =
            RESTART_EVERY.multipliedBy(2).dividedBy(3);
    private static final int PLAYERS = Integer.getInteger("soak.players", 8);
    private static final int HEAP_SAMPLES = 30;
    private static final double HEAP_TOLERANCE = 1.25;
    private static final long HEAP_SLACK_BYTES = 24L << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a hung origin stays stopped: beyond the default stall_timeout (3 s). */
    private static final Duration HANG_FOR = Duration.ofSeconds(5);

    private static final String STREAM = "soak";
    private static final Pattern ESCAPED = Pattern.compile("^ERROR |unexpected error|raised an exception");
    /** Every client connection's close line on the edge (here, only players connect to it). */
    private static final Pattern CLOSE_LINE = Pattern.compile("close /?127\\.0\\.0\\.1:(\\d+):");

    private static final Pattern FIGURES = Pattern.compile(
            "player of live/" + STREAM + ",.*; frames offered (\\d+), sent (\\d+), dropped (\\d+), discarded (\\d+)$");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** A player that left, by its local port; for a graceful one, what it received. */
    private record Left(int port, boolean graceful, long messages, long bytes) {}

    private record Attached(TinyRtmpPlayer player, long leaveAtNanos, boolean graceful) {}

    /** The build's 5-minute default cannot bound a run whose length is a property: the run bounds itself. */
    @Test
    @Timeout(value = 24, unit = TimeUnit.HOURS)
    void edgeStaysCleanThroughPlayerChurnPublisherReconnectsAndOriginRestarts() {
        assertTimeoutPreemptively(DURATION.plus(Duration.ofMinutes(4)), this::soak);
    }

    private void soak() throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed); // player lifetimes and which players leave abruptly
        List<Left> left = new ArrayList<>();
        List<Long> heapSamples = new ArrayList<>();
        int joined = 0;
        int abrupt = 0;
        int restarts = 0;
        int hangs = 0;
        List<Integer> closedByEdge = new ArrayList<>();
        int publishes = 0;
        try (KeptLines logs = new KeptLines(Pattern.compile(CLOSE_LINE.pattern() + "|" + ESCAPED.pattern()));
                NginxRtmp originA = NginxRtmp.builder(dir.resolve("origin-a")).start();
                NginxRtmp originB = NginxRtmp.builder(dir.resolve("origin-b")).start();
                EdgeUnderTest edge = EdgeUnderTest.remote(
                        dir.resolve("edge"),
                        "cluster { idle_close = 1s, retry { initial_backoff = 200ms, max_backoff = 1s, jitter = 0 } }",
                        originA.port(),
                        originB.port())) {
            NginxRtmp origin = originA; // where the encoder publishes now
            NginxRtmp hung = null;
            long continueAt = 0;
            EventLoopGroup group = Transports.newGroup(2, "soak-players");
            Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
            ManagedProcess publisher = null;
            List<Attached> attached = new ArrayList<>();
            try {
                long start = System.nanoTime();
                long end = start + DURATION.toNanos();
                long nextRestart = start + RESTART_EVERY.toNanos();
                long publisherSince = 0;
                long nextHeapSample = start;
                long heapEvery = DURATION.toNanos() / HEAP_SAMPLES;
                while (System.nanoTime() < end) {
                    long now = System.nanoTime();
                    if (hung != null && now >= continueAt) {
                        hung.process().signal("CONT");
                        hung = null;
                    }
                    boolean move = false;
                    if (now >= nextRestart && hung == null) {
                        if ((restarts + hangs) % 2 == 0) {
                            origin.stop();
                            origin.start();
                            restarts++;
                        } else {
                            // The encoder's origin hangs and the encoder goes to the other one: the
                            // edge's pull stalls and finds the stream there.
                            hung = origin;
                            hung.process().signal("STOP");
                            continueAt = now + HANG_FOR.toNanos();
                            hangs++;
                            move = true;
                        }
                        nextRestart = now + RESTART_EVERY.toNanos();
                    }
                    if (move
                            || publisher == null
                            || !publisher.isAlive()
                            || now - publisherSince > PUBLISHER_RECONNECT_EVERY.toNanos()) {
                        if (publisher != null) {
                            publisher.close();
                        }
                        origin = origin == originA ? originB : originA; // the encoder moves
                        publisher = ffmpeg.publish(origin.rtmpUrl(STREAM), TestMedia.small(), true);
                        publisherSince = now;
                        publishes++;
                    }
                    for (Iterator<Attached> it = attached.iterator(); it.hasNext(); ) {
                        Attached a = it.next();
                        if (now >= a.leaveAtNanos()) {
                            it.remove();
                            if (!a.player().connected()) {
                                closedByEdge.add(a.player().localPort());
                            }
                            left.add(leave(a));
                        }
                    }
                    while (attached.size() < PLAYERS) {
                        long lifetime = TimeUnit.MILLISECONDS.toNanos(2_000 + random.nextInt(15_000));
                        attached.add(new Attached(
                                TinyRtmpPlayer.play(group, edge.port(), EdgeUnderTest.APP, STREAM),
                                now + lifetime,
                                random.nextInt(5) != 0));
                        joined++;
                    }
                    if (now >= nextHeapSample) {
                        heapSamples.add(heapAfterGc());
                        nextHeapSample = now + heapEvery;
                    }
                    // The pace of the churn: players are checked four times a second.
                    Awaitility.await().pollDelay(Duration.ofMillis(250)).until(() -> true);
                }
                for (Attached a : attached) {
                    if (!a.player().connected()) {
                        closedByEdge.add(a.player().localPort());
                    }
                    left.add(leave(a));
                }
                attached.clear();
            } finally {
                if (hung != null) {
                    hung.process().signal("CONT");
                }
                attached.forEach(a -> a.player().close());
                if (publisher != null) {
                    publisher.close();
                }
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            heapSamples.add(heapAfterGc());

            Awaitility.await("no stream, upstream or connection left on the edge")
                    .atMost(WAIT)
                    .until(() -> edge.server().streams().size() == 0
                            && edge.server().upstreamPulls() == 0
                            && edge.server().rtmp().tracker().active() == 0);
            MeterRegistry registry = edge.server().metrics().registry();
            assertEquals(
                    0.0,
                    registry.find("rtmp.connections.active").gauges().stream()
                            .mapToDouble(Gauge::value)
                            .sum());

            long offered = 0;
            long delivered = 0;
            long dropped = 0;
            long deliveredBytes = 0;
            List<String> mismatches = new ArrayList<>();
            Map<Integer, Deque<String>> closeLines = closeLines(logs);
            int graceful = 0;
            for (Left l : left) {
                // A port comes back in a long run, but only after the previous connection on it closed:
                // per port, close lines and players are in the same order.
                String line =
                        closeLines.getOrDefault(l.port(), new ArrayDeque<>()).pollFirst();
                if (!l.graceful()) {
                    abrupt++;
                    continue;
                }
                graceful++;
                Matcher m = line == null ? null : FIGURES.matcher(line);
                if (m == null || !m.find()) {
                    mismatches.add("no close line with delivery figures for player port " + l.port() + ": " + line);
                    continue;
                }
                long o = Long.parseLong(m.group(1));
                long sent = Long.parseLong(m.group(2));
                long d = Long.parseLong(m.group(3));
                long discarded = Long.parseLong(m.group(4));
                if (l.messages() != o - d || sent != l.messages() || discarded != 0) {
                    mismatches.add("player port " + l.port() + " received " + l.messages() + ", edge offered " + o
                            + ", sent " + sent + ", dropped " + d + ", discarded " + discarded);
                }
                offered += o;
                delivered += l.messages();
                dropped += d;
                deliveredBytes += l.bytes();
            }
            List<String> leaks = NettyLeakGuard.drain();
            double pulled = registry.find("rtmp.received.bytes").tag("role", "upstream_pull").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum();
            int third = heapSamples.size() / 3;
            double firstThird = mean(heapSamples.subList(0, third));
            double lastThird = mean(heapSamples.subList(heapSamples.size() - third, heapSamples.size()));
            System.out.printf(
                    "SOAK %s (seed %d): players joined %d, left %d gracefully + %d abruptly; origin restarts %d, hangs %d,"
                            + " publisher sessions (each on the other origin) %d; players closed by the edge %d; bytes pulled from the origin %.0f; media messages offered %d, delivered %d (%d"
                            + " payload bytes), dropped %d; accounting mismatches %d; leaks %d; heap after GC MiB first"
                            + " third %.1f, last third %.1f, samples %s%n",
                    DURATION,
                    seed,
                    joined,
                    graceful,
                    abrupt,
                    restarts,
                    hangs,
                    publishes,
                    closedByEdge.size(),
                    pulled,
                    offered,
                    delivered,
                    deliveredBytes,
                    dropped,
                    mismatches.size(),
                    leaks.size(),
                    firstThird / (1 << 20),
                    lastThird / (1 << 20),
                    heapSamples.stream().map(b -> b >> 20).toList());

            assertEquals(List.of(), leaks);
            assertEquals(List.of(), mismatches);
            assertTrue(
                    graceful > PLAYERS && delivered > 0,
                    "players left gracefully: " + graceful + ", delivered " + delivered);
            assertTrue(restarts >= 2 && hangs >= 1, "origin restarts: " + restarts + ", hangs: " + hangs);
            assertEquals(List.of(), closedByEdge, "players closed by the edge, not by leaving");
            assertTrue(
                    lastThird <= firstThird * HEAP_TOLERANCE + HEAP_SLACK_BYTES,
                    "heap after GC grew: first third " + firstThird + ", last third " + lastThird + ", samples "
                            + heapSamples);
            assertEquals(List.of(), logs.matching(ESCAPED));
        }
    }

    /**
     * A graceful player leaves and reads up to StreamEOF, and says what it received. An abrupt one
     * (or one not playing yet) just disconnects.
     */
    private static Left leave(Attached a) throws Exception {
        TinyRtmpPlayer p = a.player();
        int port = p.localPort();
        try (p) {
            if (!a.graceful()) {
                return new Left(port, false, 0, 0);
            }
            try {
                p.leave().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException notPlaying) {
                return new Left(port, false, 0, 0);
            }
            return new Left(port, true, p.mediaMessages(), p.mediaBytes());
        }
    }

    /** The players' close lines by local port, in log order. */
    private static Map<Integer, Deque<String>> closeLines(KeptLines logs) {
        Map<Integer, Deque<String>> out = new HashMap<>();
        for (String line : logs.matching(CLOSE_LINE)) {
            Matcher m = CLOSE_LINE.matcher(line);
            if (m.find()) {
                out.computeIfAbsent(Integer.parseInt(m.group(1)), p -> new ArrayDeque<>())
                        .add(line);
            }
        }
        return out;
    }

    /**
     * The log lines matching a pattern, kept as strings only: a long run must not fill the heap it
     * measures with captured log events.
     */
    private static final class KeptLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Pattern keep;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        KeptLines(Pattern keep) {
            this.keep = keep;
            setName("soak-lines");
            start();
            root.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            String line =
                    e.getLevel() + " " + e.getLoggerName().replaceFirst(".*\\.", "") + " - " + e.getFormattedMessage();
            if (keep.matcher(line).find()) {
                lines.add(line);
            }
        }

        List<String> matching(Pattern pattern) {
            return lines.stream().filter(l -> pattern.matcher(l).find()).toList();
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(0);
    }
}
