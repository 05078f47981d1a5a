package io.github.rtmpedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Outbound handler: {@link RawMessage} → chunks, with per chunk stream header compression.
 * A {@link ByteBuf} written to the pipeline (e.g. a shared, already chunked media message) passes
 * through untouched.
 */
public final class ChunkEncoder extends MessageToByteEncoder<RawMessage> {

    private final ChunkWriter writer = new ChunkWriter();

    public ChunkEncoder() {
        super(RawMessage.class);
    }

    /** The state machine, e.g. to {@link ChunkWriter#forget} a chunk stream used by pre-chunked buffers. */
    public ChunkWriter writer() {
        return writer;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RawMessage msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(ChunkWriter.maxEncodedLength(msg, writer.chunkSize()));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RawMessage msg, ByteBuf out) {
        writer.write(msg, out);
    }
}
