package io.github.rtmpedge.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP load generator: N players and M publishers against one URL, on one or two event loops.
 * Publishers send an FLV file in real time; players measure what they get (see {@link LoadSnapshot}).
 * Prints a line per second and, at the end, the totals and a {@code RESULT {json}} line.
 *
 * <pre>
 * java -cp edge-bench/target/benchmarks.jar io.github.rtmpedge.bench.load.LoadClient \
 *     --url rtmp://127.0.0.1:1935/live/test --publishers 1 --flv media.flv --players 1000 \
 *     --duration 60s --ramp 200/s --reconnect-delay 0ms --epoll
 * </pre>
 */
public final class LoadClient implements AutoCloseable {

    private final LoadOptions options;
    private final PrintStream out;
    private final LoadStats stats = new LoadStats();
    private final EventLoopGroup group;
    private final FlvSource source;
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Player> players = new ArrayList<>();
    private final ScheduledExecutorService reporter;
    private final long startNanos = System.nanoTime();
    private final long startCpuNanos = cpuNanos();
    private volatile long playersStartNanos;
    private long lastNanos;
    private long lastCpuNanos;
    private long lastSentBytes;
    private long lastMediaBytes;
    private long lastReceivedBytes;
    private LoadSnapshot finalSnapshot;

    private LoadClient(LoadOptions options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.source = options.publishers() > 0 ? FlvSource.load(options.flv()) : null;
        boolean epoll = options.epoll() && Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group =
                new MultiThreadIoEventLoopGroup(options.threads(), new DefaultThreadFactory("load", true), factory);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        for (int i = 0; i < options.publishers(); i++) {
            publishers.add(new Publisher(options, stats, bootstrap, source, options.streamName(i, true)));
        }
        // RTMP and HTTP-FLV players alternate, so that both ramp up together.
        for (int i = 0; i < Math.max(options.players(), options.flvPlayers()); i++) {
            if (i < options.players()) {
                players.add(new Player(options, stats, bootstrap, options.streamName(i, false)));
            }
            if (i < options.flvPlayers()) {
                players.add(new FlvPlayer(options, stats, bootstrap));
            }
        }
        this.reporter = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("load-report", true));
        out.println("load client: " + options.players() + " players, " + options.publishers() + " publishers -> "
                + options.tcUrl() + "/"
                + (options.streamPrefix() == null
                        ? options.stream()
                        : options.streamPrefix() + "0.." + options.streamPrefix() + (options.streams() - 1))
                + (options.flvPlayers() > 0
                        ? ", " + options.flvPlayers() + " HTTP-FLV players -> " + options.flvUrl()
                        : "")
                + " (" + (epoll ? "epoll" : "nio") + ", "
                + options.threads() + " event loop thread(s))");
    }

    /**
     * Starts a run: publishers at once; players ramp up once every publisher is sending (or after
     * 5 s), at {@link LoadOptions#rampPerSecond()}. Per-second lines unless {@code quiet}.
     */
    public static LoadClient start(LoadOptions options, PrintStream out) throws IOException {
        LoadClient client = new LoadClient(options, out);
        client.begin();
        return client;
    }

    private void begin() {
        publishers.forEach(Publisher::connect);
        reporter.execute(this::waitForPublishersThenRamp);
    }

    private void waitForPublishersThenRamp() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stats.publishersLive.get() < publishers.size() && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
        long now = System.nanoTime();
        playersStartNanos = now;
        lastNanos = now;
        lastCpuNanos = cpuNanos();
        long spacing = TimeUnit.SECONDS.toNanos(1) / options.rampPerSecond();
        for (int i = 0; i < players.size(); i++) {
            Player p = players.get(i);
            group.next().schedule(p::connect, i * spacing, TimeUnit.NANOSECONDS);
        }
        if (!options.quiet()) {
            reporter.scheduleAtFixedRate(() -> out.println(snapshot().toLine()), 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Nanoseconds since the players started ramping (0 before). */
    public long elapsedNanos() {
        long s = playersStartNanos;
        return s == 0 ? 0 : System.nanoTime() - s;
    }

    /** The state now; rates over the interval since the previous call. */
    public synchronized LoadSnapshot snapshot() {
        long now = System.nanoTime();
        long cpu = cpuNanos();
        long sent = stats.sentMediaBytes.sum();
        long media = stats.mediaBytes.sum();
        long received = stats.receivedBytes.sum();
        LoadSnapshot s = build(
                now,
                now - lastNanos,
                cpu - lastCpuNanos,
                sent - lastSentBytes,
                media - lastMediaBytes,
                received - lastReceivedBytes);
        lastNanos = now;
        lastSentBytes = sent;
        lastCpuNanos = cpu;
        lastMediaBytes = media;
        lastReceivedBytes = received;
        return s;
    }

    private LoadSnapshot build(
            long now, long intervalNanos, long cpuDelta, long sentDelta, long mediaDelta, long receivedDelta) {
        int connected = 0;
        int fed = 0;
        long maxGap = 0;
        for (Player p : players) {
            if (p.connected()) {
                connected++;
            }
            if (p.fed(now)) {
                fed++;
            }
            maxGap = Math.max(maxGap, p.maxGapNanos(now));
        }
        int realTime = 0;
        for (Publisher p : publishers) {
            if (p.report(now).keptRealTime()) {
                realTime++;
            }
        }
        long[] ttfk =
                stats.firstKeyframeNanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(ttfk);
        double seconds = intervalNanos / 1e9;
        long start = playersStartNanos;
        return new LoadSnapshot(
                start == 0 ? 0 : (now - start) / 1e9,
                players.size(),
                connected,
                fed,
                stats.publishersLive.get(),
                publishers.size(),
                realTime,
                seconds > 0 ? sentDelta * 8 / 1e6 / seconds : 0,
                seconds > 0 ? mediaDelta * 8 / 1e6 / seconds : 0,
                seconds > 0 ? receivedDelta * 8 / 1e6 / seconds : 0,
                percentileMillis(ttfk, 0.50),
                percentileMillis(ttfk, 0.99),
                ttfk.length,
                maxGap / 1e6,
                stats.attempts.sum(),
                stats.reconnects.sum(),
                stats.failedConnects.sum(),
                seconds > 0 ? cpuDelta / 1e9 / seconds : 0,
                (cpuNanos() - startCpuNanos) / 1e9);
    }

    /** What each publisher sent up to {@code nowNanos}, in publisher order. */
    List<PublishReport> publishReports(long nowNanos) {
        return publishers.stream().map(p -> p.report(nowNanos)).toList();
    }

    /** Each player's largest media gap so far in milliseconds (see {@link LoadSnapshot#maxGapMs()}). */
    public double[] playerMaxGapsMillis() {
        long now = System.nanoTime();
        return players.stream().mapToDouble(p -> p.maxGapNanos(now) / 1e6).toArray();
    }

    /** Reconnects per whole second since the players started ramping: index i counts second i. */
    public long[] reconnectsPerSecond() {
        long start = playersStartNanos;
        long[] times = stats.reconnectNanos.stream().mapToLong(Long::longValue).toArray();
        int seconds = (int) Math.max(1, (System.nanoTime() - start) / 1_000_000_000L + 1);
        long[] counts = new long[seconds];
        for (long t : times) {
            int i = (int) ((t - start) / 1_000_000_000L);
            counts[Math.max(0, Math.min(seconds - 1, i))]++;
        }
        return counts;
    }

    /** Nearest-rank percentile in milliseconds; -1 without samples. */
    static double percentileMillis(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    /**
     * Ends the run: the final snapshot (rates over the whole run, taken while the connections are
     * still open), then closes every connection without reconnecting. Prints the totals and
     * {@code RESULT {json}}. Idempotent.
     */
    public synchronized LoadSnapshot stop() {
        if (finalSnapshot != null) {
            return finalSnapshot;
        }
        reporter.shutdownNow();
        long now = System.nanoTime();
        long from = playersStartNanos == 0 ? startNanos : playersStartNanos;
        finalSnapshot = build(
                now,
                now - from,
                cpuNanos() - startCpuNanos,
                stats.sentMediaBytes.sum(),
                stats.mediaBytes.sum(),
                stats.receivedBytes.sum());
        List<PublishReport> reports = publishReports(now);
        List<ChannelFuture> closing = new ArrayList<>();
        for (RtmpClient c : players) {
            addIfNotNull(closing, c.stop());
        }
        for (RtmpClient c : publishers) {
            addIfNotNull(closing, c.stop());
        }
        closing.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (source != null) {
            source.close();
        }
        reports.forEach(r -> out.println(r.toLine()));
        out.println("final: " + finalSnapshot.toLine());
        out.println("RESULT " + finalSnapshot.toJson());
        out.flush();
        return finalSnapshot;
    }

    private static void addIfNotNull(List<ChannelFuture> list, ChannelFuture f) {
        if (f != null) {
            list.add(f);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** This process's CPU time (user + system) in nanoseconds. */
    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadClient client = start(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(client::stop, "load-stop"));
        long end = System.nanoTime() + options.duration().toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (client.elapsedNanos() < options.duration().toNanos() && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        client.stop();
    }
}
