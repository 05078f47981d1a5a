package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Goes in front of a handler that holds the conversation itself (the codec's client): records into
 * a {@link PeerLog} what that handler receives, the exceptions it sees, and the Acknowledgements it
 * sends, and passes everything on untouched.
 */
final class PeerRecorder extends ChannelDuplexHandler {
    private final PeerLog log;

    PeerRecorder(PeerLog log) {
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RtmpMessage message) {
            log.record(message);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.errors.add(cause);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Acknowledgement ack) {
            log.acknowledged(ack.sequenceNumber());
        }
        ctx.write(msg, promise);
    }
}
