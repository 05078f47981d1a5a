package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.config.ConfigKey;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import io.github.rtmpedge.edge.api.ServerIdentity;
import io.github.rtmpedge.edge.flv.HttpFlvServer;
import io.github.rtmpedge.edge.http.HttpApiServer;
import io.github.rtmpedge.edge.lifecycle.NettyDefaults;
import io.github.rtmpedge.edge.lifecycle.ShutdownCoordinator;
import io.github.rtmpedge.edge.logging.LogFormats;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.rtmp.RtmpServer;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.edge.upstream.EdgeSupervisor;
import io.github.rtmpedge.edge.upstream.UpstreamMeters;
import io.github.rtmpedge.edge.web.HttpGuard;
import io.github.rtmpedge.edge.web.HttpListenerMeters;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server: event loops, streams, the edge supervisor (remote mode), the RTMP listeners,
 * the HTTP port, graceful quit and live reload.
 */
public final class EdgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    static final String VERSION = Optional.ofNullable(
                    EdgeServer.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private volatile EdgeConfig config;
    private final Optional<Path> configFile;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final EventLoopGroup httpGroup;
    private final StreamRegistry streams;
    private final EdgeSupervisor edge;
    private final RtmpServer rtmp;
    private final HttpFlvServer flv;
    private final HttpApiServer http;
    private final ServerIdentity identity = new ServerIdentity(VERSION);
    private final ShutdownCoordinator coordinator;
    private final EdgeMetrics metrics;
    private final Timer drainDuration;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private List<InetSocketAddress> rtmpAddresses = List.of();
    private InetSocketAddress httpAddress;
    private InetSocketAddress flvAddress;

    /** {@code exit} runs once a quit has stopped everything (the real process passes System.exit). */
    public EdgeServer(EdgeConfig config, Optional<Path> configFile, Runnable exit) {
        this.config = config;
        this.configFile = configFile;
        this.bossGroup = Transports.newGroup(1, "rtmp-accept");
        this.workerGroup = Transports.newGroup(0, "rtmp-io");
        this.httpGroup = Transports.newGroup(1, "http");
        this.metrics =
                EdgeMetrics.prometheus().buildInfo(VERSION, Transports.name()).bindJvmAndProcess();
        metrics.bindAllocator(PooledByteBufAllocator.DEFAULT);
        if (config.httpApi().appLabel()) {
            metrics.labelApps(config.httpApi().appLabelMax());
        }
        this.streams = new StreamRegistry(
                PooledByteBufAllocator.DEFAULT, config.chunkSize(), config.gopCache(), config.gopCacheMaxBytes());
        streams.mergedWriteLatency(config.mwLatency());
        // Every series exists from the first scrape, whatever the mode.
        UpstreamMeters upstreamMeters = new UpstreamMeters(metrics, new TrafficMeters(metrics));
        if (config.cluster().mode() == ClusterConfig.Mode.REMOTE) {
            this.edge = new EdgeSupervisor(
                    config, RtmpServer.chunkLimits(config), RtmpServer.amfLimits(config), upstreamMeters);
            streams.supervisor(edge);
        } else {
            this.edge = null;
        }
        this.rtmp = new RtmpServer(config, streams, edge, bossGroup, workerGroup, metrics);
        this.flv = config.httpServer().enabled()
                ? new HttpFlvServer(config, streams, bossGroup, workerGroup, metrics, edge == null)
                : null;
        this.coordinator = new ShutdownCoordinator(
                new ShutdownCoordinator.Timing(
                        config.grace().startWait(),
                        config.grace().finalWait(),
                        config.grace().drainTimeout(),
                        config.grace().drainSpread()),
                new Target(),
                exit);
        this.drainDuration = ServerMeters.bind(metrics, rtmp, flv, streams, coordinator);
        this.http = config.httpApi().enabled()
                ? new HttpApiServer(
                        config.httpApi(),
                        config.httpApi().drainToken(),
                        new ServerApi(this),
                        httpGroup,
                        metrics::scrape,
                        HttpGuard.Limits.of(
                                config.httpServer().limits(),
                                config.httpServer().limits().apiMaxConnections()),
                        new HttpListenerMeters(metrics, "api"))
                : null;
    }

    /** The meters /metrics renders. */
    public EdgeMetrics metrics() {
        return metrics;
    }

    /** A server without a configuration file to reload, whose quit does not end the JVM (tests). */
    public EdgeServer(EdgeConfig config) {
        this(config, Optional.empty(), () -> {});
    }

    public EdgeServer start() throws InterruptedException {
        LogFormats.apply(config.logFormat());
        applyLogLevel(config);
        config.warnings().forEach(w -> log.warn("configuration: {}", w));
        log.info(
                "starting rtmp-edge {} ({} mode, {} transport, {} allocator)",
                VERSION,
                config.cluster().mode().name().toLowerCase(Locale.ROOT),
                Transports.name(),
                NettyDefaults.allocatorInUse());
        if (Transports.epollUnavailabilityCause() != null) {
            log.info(
                    "native epoll unavailable, using NIO: {}",
                    Transports.epollUnavailabilityCause().toString());
        }
        if (edge != null) {
            log.info(
                    "origins: {} ({})",
                    config.cluster().origins(),
                    config.cluster().originSelection().name().toLowerCase(Locale.ROOT));
        }
        try {
            if (http != null) {
                httpAddress = http.start();
            }
            if (flv != null) {
                flvAddress = flv.start();
            }
            rtmpAddresses = rtmp.start();
        } catch (InterruptedException | RuntimeException e) {
            stopEverything();
            throw e;
        }
        return this;
    }

    /** The bound RTMP addresses (useful with port 0). */
    public List<InetSocketAddress> rtmpAddresses() {
        return rtmpAddresses;
    }

    /** The bound HTTP-FLV address, or null if HTTP-FLV is off. */
    public InetSocketAddress flvAddress() {
        return flvAddress;
    }

    /** The HTTP-FLV listener, or null if it is off. */
    public HttpFlvServer flv() {
        return flv;
    }

    /** The bound HTTP address, or null if the HTTP API is disabled. */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public StreamRegistry streams() {
        return streams;
    }

    public RtmpServer rtmp() {
        return rtmp;
    }

    public ShutdownCoordinator coordinator() {
        return coordinator;
    }

    public EdgeConfig config() {
        return config;
    }

    /** SRS's server, service and pid ids, for the API. */
    ServerIdentity identity() {
        return identity;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Whether this is an edge (cluster.mode = remote). */
    boolean isEdge() {
        return edge != null;
    }

    /** Upstream pulls running (remote mode), else 0. */
    public int upstreamPulls() {
        return edge == null ? 0 : edge.pulls();
    }

    /** SIGQUIT (and SIGTERM with force_grace_quit), or POST /api/v1/drain. */
    public void requestGracefulQuit(String cause) {
        coordinator.requestGraceful(cause);
    }

    /** SIGINT (and SIGTERM without force_grace_quit); during a graceful quit, makes it fast. */
    public void requestFastQuit(String cause) {
        coordinator.requestFast(cause);
    }

    /**
     * SIGHUP: reloads the configuration file. What can change live is applied to new connections and
     * new upstreams without dropping anyone; what cannot is logged as needing a restart; an invalid
     * file is rejected with its problems and the old configuration stays in force. The security
     * rules (CIDR lists, tokens, hooks) apply live. Also {@code POST /api/v1/reload}.
     */
    public synchronized boolean reload() {
        EdgeConfig next;
        try {
            next = EdgeConfigLoader.load(configFile);
        } catch (InvalidConfigException e) {
            log.error(
                    "reload rejected, the running configuration stays in force: {}",
                    e.getMessage().replace('\n', ' ').replace("  ", " "));
            return false;
        }
        EdgeConfig current = config;
        List<String> restart = ConfigKey.restartNeeded(current, next);
        applyLogLevel(next);
        streams.mergedWriteLatency(next.mwLatency());
        rtmp.reconfigure(next);
        if (flv != null) {
            flv.reconfigure(next);
        }
        if (edge != null && next.cluster().mode() == current.cluster().mode()) {
            edge.reconfigure(next, RtmpServer.chunkLimits(next), RtmpServer.amfLimits(next));
        }
        config = next;
        next.warnings().forEach(w -> log.warn("configuration: {}", w));
        log.info(
                "configuration reloaded from {}; origins now {} ({}), log level {}; applies to new connections and upstreams{}",
                configFile.map(Path::toString).orElse("system properties and environment"),
                next.cluster().origins(),
                next.cluster().originSelection().name().toLowerCase(Locale.ROOT),
                next.logLevel().name().toLowerCase(Locale.ROOT),
                restart.isEmpty() ? "" : "; changed but needing a restart: " + String.join(", ", restart));
        return true;
    }

    /**
     * Lets the hand-offs that closing connections started (player loop → stream loop → player loop,
     * releasing queued frames) run before the loops shut down: a few rounds of a no-op task on every
     * loop, each round after the previous one has run everywhere.
     */
    private static void settle(EventLoopGroup group) {
        for (int round = 0; round < 3; round++) {
            List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
            for (io.netty.util.concurrent.EventExecutor loop : group) {
                if (!loop.isShuttingDown()) {
                    done.add(loop.submit(() -> {}));
                }
            }
            for (io.netty.util.concurrent.Future<?> f : done) {
                f.awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }

    /** log_level: the root logger's level (Logback), at start and on every reload. */
    private static void applyLogLevel(EdgeConfig config) {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .setLevel(ch.qos.logback.classic.Level.toLevel(
                            config.logLevel().name(), ch.qos.logback.classic.Level.INFO));
        }
    }

    /** Fast stop: close listeners and connections, shut the event loops down. Idempotent. */
    @Override
    public void close() {
        stopEverything();
    }

    private void stopEverything() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        closeListeners();
        rtmp.connections().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (flv != null) {
            flv.connections().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        settle(workerGroup);
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (http != null) {
            http.close(); // last: metrics and readiness stay observable until the end
        }
        httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
    }

    private void closeListeners() {
        rtmp.closeListeners();
        if (flv != null) {
            flv.closeListeners();
        }
    }

    /** Every client connection: RTMP, then HTTP-FLV. */
    Iterable<Channel> clientConnections() {
        if (flv == null) {
            return rtmp.connections();
        }
        List<Channel> all = new ArrayList<>(rtmp.connections());
        all.addAll(flv.connections());
        return all;
    }

    private final class Target implements ShutdownCoordinator.Target {
        @Override
        public void closeListeners() {
            EdgeServer.this.closeListeners();
        }

        @Override
        public int activeConnections() {
            return rtmp.tracker().active() + (flv == null ? 0 : flv.active());
        }

        @Override
        public String describeConnections() {
            return rtmp.describeConnections()
                    + (flv == null ? "" : ", " + flv.countByRole(Role.PLAYER) + " HTTP-FLV players")
                    + ", " + upstreamPulls() + " upstream pulls";
        }

        @Override
        public List<Runnable> closersOfRemainingConnections() {
            List<Runnable> players = new ArrayList<>();
            List<Runnable> publishers = new ArrayList<>();
            for (Channel ch : rtmp.connections()) {
                (rtmp.isPublisher(ch) ? publishers : players).add(() -> RtmpServer.closeAfterPending(ch));
            }
            if (flv != null) {
                for (Channel ch : flv.connections()) {
                    players.add(() -> HttpFlvServer.closeAfterPending(ch));
                }
            }
            Collections.shuffle(players, ThreadLocalRandom.current());
            players.addAll(publishers);
            return players;
        }

        @Override
        public void drainStarted() {
            if (edge != null) {
                edge.draining();
            }
        }

        @Override
        public void drained(Duration took) {
            drainDuration.record(took);
        }

        @Override
        public void stop() {
            stopEverything();
        }
    }
}
