package io.github.rtmpedge.edge.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First in an upstream connection's pipeline: counts its bytes in and out under one role. */
public final class TrafficMeter extends ChannelDuplexHandler {

    private final EdgeMetrics metrics;
    private final EdgeMetrics.Role role;

    public TrafficMeter(EdgeMetrics metrics, EdgeMetrics.Role role) {
        this.metrics = metrics;
        this.role = role;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            metrics.bytesReceived(role, buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            metrics.bytesSent(role, buf.readableBytes());
        } else if (msg instanceof ByteBufHolder holder) {
            metrics.bytesSent(role, holder.content().readableBytes());
        }
        ctx.write(msg, promise);
    }
}
