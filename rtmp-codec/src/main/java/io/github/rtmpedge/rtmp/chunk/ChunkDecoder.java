package io.github.rtmpedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Inbound handler: bytes after the handshake → {@link RawMessage}s. Fires {@link AcknowledgementDue}
 * as a user event when the peer's acknowledgement window fills. Errors are
 * {@link io.github.rtmpedge.rtmp.RtmpCodecException}s (limits: {@link io.github.rtmpedge.rtmp.RtmpLimitExceededException});
 * after the first one the decoder discards everything that follows.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    private final ChunkReader reader;

    public ChunkDecoder() {
        this(ChunkLimits.DEFAULT);
    }

    public ChunkDecoder(ChunkLimits limits) {
        this.reader = new ChunkReader(limits);
    }

    /** The state machine, for sessions that want byte counts or the peer's chunk size. */
    public ChunkReader reader() {
        return reader;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            reader.read(in, ctx.alloc(), out);
        } finally {
            long sequence = reader.takeAcknowledgementDue();
            if (sequence >= 0) {
                ctx.fireUserEventTriggered(new AcknowledgementDue(sequence));
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        reader.release();
    }
}
