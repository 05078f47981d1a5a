package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Times one upstream connection's set-up into the two stages' histograms: the TCP connect (from
 * the channel's set-up to active) and the RTMP handshake (from active to its completion event),
 * then leaves the pipeline. Sits just before the RTMP client handler, which the completion event
 * reaches; confined to the connection's loop.
 */
final class UpstreamTimings extends ChannelInboundHandlerAdapter {

    private final Timer connect;
    private final Timer handshake;
    private long stageStarted = System.nanoTime();

    UpstreamTimings(Timer connect, Timer handshake) {
        this.connect = connect;
        this.handshake = handshake;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long now = System.nanoTime();
        connect.record(now - stageStarted, TimeUnit.NANOSECONDS);
        stageStarted = now;
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeCompleted) {
            handshake.record(System.nanoTime() - stageStarted, TimeUnit.NANOSECONDS);
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }
}
