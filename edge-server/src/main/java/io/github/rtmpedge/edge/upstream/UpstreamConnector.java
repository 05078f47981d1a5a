package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.client.Phase;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.client.RtmpClientListener;
import io.github.rtmpedge.rtmp.client.RtmpClientPipeline;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.function.Consumer;

/** Opens client connections to origins, on the event loop of the stream they serve. */
final class UpstreamConnector {

    private final Duration connectTimeout;
    private final ChunkLimits chunkLimits;
    private final AmfLimits amfLimits;
    private final UpstreamMeters metrics;

    UpstreamConnector(Duration connectTimeout, ChunkLimits chunkLimits, AmfLimits amfLimits, UpstreamMeters metrics) {
        this.metrics = metrics;
        this.connectTimeout = connectTimeout;
        this.chunkLimits = chunkLimits;
        this.amfLimits = amfLimits;
    }

    AmfLimits amfLimits() {
        return amfLimits;
    }

    /**
     * Checks that {@code origin} answers: TCP connect, then the RTMP handshake (closed as soon as
     * the client would send connect). Reports null on success or why not, on {@code loop}.
     */
    void probe(EventLoop loop, OriginAddress origin, Consumer<String> failedOrNull) {
        boolean[] reported = new boolean[1];
        Consumer<String> once = r -> {
            if (!reported[0]) {
                reported[0] = true;
                failedOrNull.accept(r);
            }
        };
        RtmpClientHandler client = new RtmpClientHandler(
                RtmpClientConfig.play("probe", "rtmp://" + origin + "/probe", "probe")
                        .timeout(Phase.HANDSHAKE, connectTimeout)
                        .build(),
                new RtmpClientListener() {
                    @Override
                    public void phaseChanged(RtmpClientHandler c, Phase phase) {
                        if (phase == Phase.CONNECT) {
                            once.accept(null);
                            c.channel().close();
                        }
                    }

                    @Override
                    public void failed(RtmpClientHandler c, String reason) {
                        once.accept(reason);
                    }
                });
        connect(loop, origin, client, Role.UPSTREAM_PULL).addListener(f -> {
            if (!f.isSuccess()) {
                once.accept("connect failed: " + f.cause().getMessage());
            }
        });
    }

    /**
     * Connects {@code client} (whose config bounds the handshake) to {@code origin}.
     *
     * @param role UPSTREAM_PULL or UPSTREAM_PUSH, what the connection's bytes are counted under
     */
    ChannelFuture connect(EventLoop loop, OriginAddress origin, RtmpClientHandler client, Role role) {
        return new Bootstrap()
                .group(loop)
                .channel(Transports.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("traffic", metrics.trafficMeter(role));
                        RtmpClientPipeline.install(ch.pipeline(), client, HandshakeMode.SIMPLE, chunkLimits, amfLimits);
                        ch.pipeline().addBefore(RtmpClientPipeline.CLIENT, "timings", metrics.timings(role));
                    }
                })
                .connect(origin.host(), origin.port());
    }
}
