package io.github.rtmpedge.rtmp.message;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Inbound handler: {@link RawMessage} → {@link RtmpMessage}. */
public final class MessageDecoder extends MessageToMessageDecoder<RawMessage> {

    private final AmfLimits limits;

    public MessageDecoder() {
        this(AmfLimits.DEFAULT);
    }

    public MessageDecoder(AmfLimits limits) {
        super(RawMessage.class);
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawMessage raw, List<Object> out) {
        out.add(Messages.decode(raw, limits));
    }
}
