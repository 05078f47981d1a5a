package io.github.rtmpedge.edge.flv;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.HttpServerConfig;
import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.proxy.ConnectionLimit;
import io.github.rtmpedge.edge.proxy.ProxyProtocol;
import io.github.rtmpedge.edge.proxy.ProxyRejection;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.security.HookMeters;
import io.github.rtmpedge.edge.security.RefusalMeters;
import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.edge.web.HttpGuard;
import io.github.rtmpedge.edge.web.HttpListenerMeters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP-FLV listener ({@code http_server}): its connections, their pipeline (the HTTP guard
 * with its limits, the codec, a small aggregator for requests, the session), and what the
 * server's operations need of them: counts, snapshots, kicks and the drain.
 */
public final class HttpFlvServer {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvServer.class);

    /** Requests have no body worth reading; a larger one is refused by the aggregator (413). */
    private static final int MAX_REQUEST_BODY = 8 * 1024;

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final HttpServerConfig http;
    private final ConnectionTracker tracker = new ConnectionTracker(Integer.MAX_VALUE);
    private final TrafficMeters traffic;
    private final RefusalMeters refusals;
    private final HookMeters hookMeters;
    private final EnumCounters<CloseReason> closes;
    private final HttpListenerMeters listenerMeters;
    private final ChannelGroup connections = new DefaultChannelGroup("flv-connections", GlobalEventExecutor.INSTANCE);
    private volatile FlvServices services;
    private final EnumCounters<ProxyRejection> proxyRejections;
    private volatile ProxyProtocol proxy;
    private Channel listener;

    public HttpFlvServer(
            EdgeConfig config,
            StreamRegistry streams,
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            EdgeMetrics metrics,
            boolean standalone) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.http = config.httpServer();
        this.traffic = new TrafficMeters(metrics, Protocol.HTTP_FLV);
        this.refusals = new RefusalMeters(metrics);
        this.hookMeters = new HookMeters(metrics);
        this.closes = metrics.counters(
                EdgeMeters.CONNECTIONS_CLOSED,
                EdgeMeters.Tags.REASON,
                CloseReason.class,
                EdgeMeters.Tags.PROTOCOL,
                EnumCounters.tagValue(Protocol.HTTP_FLV));
        this.listenerMeters = new HttpListenerMeters(metrics, "flv");
        this.services = services(config, streams, standalone);
        this.proxyRejections = ProxyProtocol.rejections(metrics, EnumCounters.tagValue(Protocol.HTTP_FLV));
        this.proxy = proxy(config);
    }

    /** The PROXY protocol gate of connections accepted under {@code config}; a header must come with the request's time. */
    private ProxyProtocol proxy(EdgeConfig config) {
        return new ProxyProtocol(config.proxyProtocol(), http.limits().requestTimeout(), proxyRejections, "HTTP-FLV");
    }

    private FlvServices services(EdgeConfig config, StreamRegistry streams, boolean standalone) {
        return new FlvServices(
                streams,
                new Gatekeeper(config.security(), hookMeters),
                standalone,
                http.mount(),
                http.flv(),
                http.crossDomain(),
                config.queueLength().toMillis(),
                config.queueMaxBytes(),
                traffic,
                refusals,
                closes,
                tracker);
    }

    /** Binds {@code http_server.listen}. */
    public InetSocketAddress start() throws InterruptedException {
        HttpGuard.Limits limits = HttpGuard.Limits.of(http.limits(), http.maxConnections());
        ConnectionLimit limit = HttpGuard.limit(limits, listenerMeters);
        listener = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        FlvServices now = services; // read once: a reload applies to new connections
                        connections.add(ch);
                        // Behind a load balancer, the session is built once the PROXY header named the client.
                        proxy.install(ch, limit, p -> {
                            HttpGuard.install(p, limits, listenerMeters);
                            p.addLast(new HttpObjectAggregator(MAX_REQUEST_BODY));
                            p.addLast(new FlvSession(now));
                        });
                    }
                })
                .bind(http.listen().host(), http.listen().port())
                .sync()
                .channel();
        log.info("HTTP-FLV listening on {} (streams at {}){}", listener.localAddress(), http.mount(), proxy.describe());
        return (InetSocketAddress) listener.localAddress();
    }

    /** A reload: the security rules and the PROXY protocol apply to connections accepted from now on. */
    public void reconfigure(EdgeConfig config) {
        proxy = proxy(config);
        FlvServices old = services;
        services = services(config, old.streams(), old.standalone());
    }

    public void closeListeners() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
    }

    /** Every open connection of the listener (players, and requests being read). */
    public ChannelGroup connections() {
        return connections;
    }

    /** Open connections whose role is {@code role} now; any thread. */
    public int countByRole(Role role) {
        return tracker.count(role);
    }

    /** Open connections of the listener; any thread. */
    public int active() {
        return listenerMeters.active();
    }

    /** Bytes written to HTTP-FLV players so far. */
    public long bytesOut() {
        return tracker.bytesOut();
    }

    /** What /api/v1/clients shows of {@code ch}, or null; on the channel's loop. */
    public static ClientSnapshot snapshot(Channel ch) {
        FlvSession session = ch.pipeline().get(FlvSession.class);
        return session == null || !ch.isActive() ? null : session.snapshot();
    }

    /** Kicks the client of {@code ch}; false if it is not an HTTP-FLV connection. On the channel's loop. */
    public static boolean kick(Channel ch) {
        FlvSession session = ch.pipeline().get(FlvSession.class);
        if (session == null) {
            return false;
        }
        session.kick();
        return true;
    }

    /** Closes {@code ch} for a drain from any thread, after the merged write and a clean end of the body. */
    public static void closeAfterPending(Channel ch) {
        ch.eventLoop().execute(() -> {
            FlvSession session = ch.pipeline().get(FlvSession.class);
            if (session != null) {
                session.closeAfterPending(CloseReason.DRAINED);
            } else {
                ch.close();
            }
        });
    }
}
