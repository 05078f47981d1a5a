package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.edge.rtmp.RtmpServer;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.edge.upstream.EdgeSupervisor;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server: event loops, streams, the edge supervisor (remote mode) and the RTMP listeners. */
public final class EdgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeConfig config;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final StreamRegistry streams;
    private final EdgeSupervisor edge;
    private final RtmpServer rtmp;
    private List<InetSocketAddress> rtmpAddresses = List.of();

    public EdgeServer(EdgeConfig config) {
        this.config = config;
        this.bossGroup = Transports.newGroup(1, "rtmp-accept");
        this.workerGroup = Transports.newGroup(0, "rtmp-io");
        this.streams = new StreamRegistry(PooledByteBufAllocator.DEFAULT, config.chunkSize(), config.gopCache(),
                config.gopCacheMaxBytes());
        ChunkLimits chunkLimits = new ChunkLimits((int) config.limits().maxMessageLength(), config.limits().maxPartialBytes(),
                config.limits().maxChunkStreams());
        AmfLimits amfLimits = new AmfLimits(config.limits().amfMaxDepth(), (int) config.limits().amfMaxStringLength(),
                config.limits().amfMaxElements(), config.limits().amfMaxElements());
        if (config.cluster().mode() == ClusterConfig.Mode.REMOTE) {
            this.edge = new EdgeSupervisor(config, chunkLimits, amfLimits);
            streams.supervisor(edge);
        } else {
            this.edge = null;
        }
        this.rtmp = new RtmpServer(config, streams, edge, bossGroup, workerGroup);
    }

    public EdgeServer start() throws InterruptedException {
        config.warnings().forEach(w -> log.warn("configuration: {}", w));
        log.info("starting rtmp-edge ({} mode, {} transport)", config.cluster().mode().name().toLowerCase(), Transports.name());
        if (Transports.epollUnavailabilityCause() != null) {
            log.info("native epoll unavailable, using NIO: {}", Transports.epollUnavailabilityCause().toString());
        }
        if (edge != null) {
            log.info("origins: {} ({})", config.cluster().origins(), config.cluster().originSelection().name().toLowerCase());
        }
        rtmpAddresses = rtmp.start();
        return this;
    }

    /** The bound RTMP addresses (useful with port 0). */
    public List<InetSocketAddress> rtmpAddresses() {
        return rtmpAddresses;
    }

    public StreamRegistry streams() {
        return streams;
    }

    public RtmpServer rtmp() {
        return rtmp;
    }

    /** Upstream pulls running (remote mode), else 0. */
    public int upstreamPulls() {
        return edge == null ? 0 : edge.pulls();
    }

    /** Fast stop: close listeners and connections, shut the event loops down. */
    @Override
    public void close() {
        rtmp.closeListeners();
        rtmp.connections().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("stopped");
    }
}
