package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.ListenAddress;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.proxy.ConnectionLimit;
import io.github.rtmpedge.edge.proxy.ProxyProtocol;
import io.github.rtmpedge.edge.proxy.ProxyRejection;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.security.HookMeters;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.PublishForwarder;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.handshake.ServerHandshakeHandler;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTMP listeners and the pipeline of every accepted connection. */
public final class RtmpServer {

    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    /** Names of the pipeline's handlers. */
    public static final String CONNECTION = "connection";

    public static final String IDLE = "idle";
    public static final String HANDSHAKE = "handshake";
    public static final String CHUNK_DECODER = "chunk-decoder";
    public static final String MESSAGE_DECODER = "message-decoder";
    public static final String CHUNK_ENCODER = "chunk-encoder";
    public static final String MESSAGE_ENCODER = "message-encoder";
    public static final String SESSION = "session";

    /** Acknowledgement window and peer bandwidth we announce (SRS uses 2.5 MB too). */
    static final long WINDOW_ACK_SIZE = 2_500_000;

    private volatile EdgeConfig config;
    private volatile Gatekeeper gatekeeper;
    private final HookMeters hookMeters;
    private final StreamRegistry streams;
    private final PublishForwarder forwarder;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ConnectionTracker tracker;
    private final SessionMeters meters;
    private final ChannelGroup connections = new DefaultChannelGroup("rtmp-connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();
    private final EnumCounters<ProxyRejection> proxyRejections;
    private volatile ProxyProtocol proxy;

    public RtmpServer(
            EdgeConfig config,
            StreamRegistry streams,
            PublishForwarder forwarder,
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            EdgeMetrics metrics) {
        this.meters = new SessionMeters(metrics);
        this.hookMeters = new HookMeters(metrics);
        this.config = config;
        this.gatekeeper = new Gatekeeper(config.security(), hookMeters);
        this.streams = streams;
        this.forwarder = forwarder;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.tracker = new ConnectionTracker(config.maxConnections());
        this.proxyRejections = ProxyProtocol.rejections(metrics, EnumCounters.tagValue(Protocol.RTMP));
        this.proxy = proxy(config);
    }

    /** What the sessions count (refusals, violations, closes...). */
    public SessionMeters meters() {
        return meters;
    }

    public ConnectionTracker tracker() {
        return tracker;
    }

    public ChannelGroup connections() {
        return connections;
    }

    /** Binds every configured address; fails (and unbinds what was bound) if one cannot be bound. */
    public List<InetSocketAddress> start() throws InterruptedException {
        ConnectionLimit limit = ConnectionHandler.limit(tracker);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        EdgeConfig config = RtmpServer.this.config; // read once: a reload applies to new connections
                        Gatekeeper gatekeeper = RtmpServer.this.gatekeeper;
                        connections.add(ch);
                        // Behind a load balancer, the session is built once the PROXY header named the client.
                        proxy.install(ch, limit, p -> addSession(p, config, gatekeeper));
                    }
                });
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            for (ListenAddress address : config.listen()) {
                Channel listener =
                        bootstrap.bind(address.host(), address.port()).sync().channel();
                listeners.add(listener);
                bound.add((InetSocketAddress) listener.localAddress());
                log.info("RTMP listening on {} ({}){}", listener.localAddress(), Transports.name(), proxy.describe());
            }
        } catch (Exception e) {
            closeListeners();
            throw e;
        }
        return bound;
    }

    /** The handlers of a client connection, from the first (connection limit, byte counts) to the session. */
    private void addSession(ChannelPipeline p, EdgeConfig config, Gatekeeper gatekeeper) {
        p.addLast(CONNECTION, new ConnectionHandler(tracker, meters.traffic()));
        if (!config.idleTimeout().isZero()) {
            p.addLast(IDLE, new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        }
        p.addLast(HANDSHAKE, new ServerHandshakeHandler(config.handshakeTimeout()));
        p.addLast(CHUNK_DECODER, new ChunkDecoder(chunkLimits(config)));
        p.addLast(MESSAGE_DECODER, new MessageDecoder(amfLimits(config)));
        p.addLast(CHUNK_ENCODER, new ChunkEncoder());
        p.addLast(MESSAGE_ENCODER, new MessageEncoder());
        p.addLast(
                SESSION,
                new RtmpSession(
                        new SessionServices(streams, forwarder, amfLimits(config), gatekeeper, meters, tracker),
                        sessionSettings(config)));
    }

    /** The PROXY protocol gate of connections accepted under {@code config}. */
    private ProxyProtocol proxy(EdgeConfig config) {
        return new ProxyProtocol(config.proxyProtocol(), config.handshakeTimeout(), proxyRejections, "RTMP");
    }

    /** What a client session needs from the configuration. */
    static SessionSettings sessionSettings(EdgeConfig config) {
        return new SessionSettings(
                config.chunkSize(),
                config.queueLength().toMillis(),
                config.queueMaxBytes(),
                WINDOW_ACK_SIZE,
                config.limits().maxCommandsPerSecond(),
                config.limits().commandBurst(),
                config.limits().publishLeadWarn().toMillis(),
                config.limits().publishLeadMax().toMillis(),
                config.limits().ackWarnWindows(),
                config.limits().ackMaxWindows());
    }

    /** Limits for the chunk decoder, from the configuration. */
    public static ChunkLimits chunkLimits(EdgeConfig config) {
        return new ChunkLimits(
                (int) config.limits().maxMessageLength(),
                config.limits().maxPartialBytes(),
                config.limits().maxChunkStreams(),
                config.limits().minChunkSize());
    }

    /** Limits for the AMF readers, from the configuration. */
    public static AmfLimits amfLimits(EdgeConfig config) {
        return new AmfLimits(
                config.limits().amfMaxDepth(),
                (int) config.limits().amfMaxStringLength(),
                config.limits().amfMaxElements(),
                config.limits().amfMaxElements());
    }

    /** Applies a reloaded configuration to connections accepted from now on. */
    public void reconfigure(EdgeConfig config) {
        this.gatekeeper = new Gatekeeper(config.security(), hookMeters);
        this.proxy = proxy(config);
        this.config = config;
        tracker.maxConnections(config.maxConnections());
    }

    /** Counts of the open connections by role, e.g. "3 players, 1 publisher, 0 other". */
    public String describeConnections() {
        int players = tracker.count(Role.PLAYER);
        int publishers = tracker.count(Role.PUBLISHER);
        return players + " players, " + publishers + " publishers, " + tracker.count(Role.NONE) + " other";
    }

    /** Open client connections whose role is {@code role} now, for rtmp.connections.active; any thread. */
    public int countByRole(Role role) {
        return tracker.count(role);
    }

    /** Whether {@code ch} is a client connection that publishes a stream; any thread. */
    public boolean isPublisher(Channel ch) {
        RtmpSession session = ch.pipeline().get(RtmpSession.class);
        return session != null && session.role() == Role.PUBLISHER;
    }

    /**
     * Closes {@code ch} from any thread for a drain, after writing what a player's merged write still
     * holds (at most {@code mw_latency} of media), so a drained player loses nothing that was due.
     */
    public static void closeAfterPending(Channel ch) {
        ch.eventLoop().execute(() -> {
            RtmpSession session = ch.pipeline().get(RtmpSession.class);
            if (session != null) {
                session.closeAfterPending(CloseReason.DRAINED);
            } else {
                ch.close();
            }
        });
    }

    /** Stops accepting: new connections are refused from now on; existing ones go on. */
    public void closeListeners() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        listeners.clear();
    }
}
