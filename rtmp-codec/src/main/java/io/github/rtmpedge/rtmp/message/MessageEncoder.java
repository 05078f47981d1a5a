package io.github.rtmpedge.rtmp.message;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Outbound handler: {@link RtmpMessage} → {@link io.github.rtmpedge.rtmp.chunk.RawMessage} on the
 * message's {@linkplain Messages#defaultChunkStream default chunk stream}.
 */
public final class MessageEncoder extends MessageToMessageEncoder<RtmpMessage> {

    public MessageEncoder() {
        super(RtmpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        out.add(Messages.encode(msg, ctx.alloc()));
    }
}
