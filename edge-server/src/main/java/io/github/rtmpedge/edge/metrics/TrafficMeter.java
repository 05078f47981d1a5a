package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First in an upstream connection's pipeline: counts its bytes in and out. */
public final class TrafficMeter extends ChannelDuplexHandler {

    private final Counter received;
    private final Counter sent;

    public TrafficMeter(Counter received, Counter sent) {
        this.received = received;
        this.sent = sent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received.increment(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent.increment(buf.readableBytes());
        } else if (msg instanceof ByteBufHolder holder) {
            sent.increment(holder.content().readableBytes());
        }
        ctx.write(msg, promise);
    }
}
