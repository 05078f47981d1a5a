package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Goes right after the {@link ChunkDecoder}: records each message the chunk layer produced (with
 * its chunk stream id, lost in the typed message) and the decoder's byte and window counts.
 */
final class ChunkTap extends ChannelInboundHandlerAdapter {
    private final ChunkDecoder decoder;
    private final PeerLog log;

    ChunkTap(ChunkDecoder decoder, PeerLog log) {
        this.decoder = decoder;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RawMessage raw) {
            log.chunked.add(new PeerLog.Chunked(
                    raw.chunkStreamId(), raw.timestamp(), raw.typeId(), raw.messageStreamId(), raw.length()));
            log.bytesReceived.set(decoder.reader().bytesReceived());
            log.acknowledgementWindow.set(decoder.reader().acknowledgementWindow());
            log.peerChunkSize.set(decoder.reader().chunkSize());
        }
        ctx.fireChannelRead(msg);
    }
}
