package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.github.rtmpedge.rtmp.chunk.ChunkWriter;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Chunks a stream's messages once for all its players. Shared frames use chunk streams of their
 * own that a connection's per-message encoder never uses, and always format 0 headers, so they can
 * be interleaved with anything the connection sends itself.
 */
public final class FrameEncoder {

    /** Chunk streams for shared media; a connection's own encoder uses 2, 3 and 5. */
    public static final int AUDIO_CHUNK_STREAM = 6;

    public static final int VIDEO_CHUNK_STREAM = 7;
    public static final int DATA_CHUNK_STREAM = 8;
    /** Every play and publish uses message stream 1 (createStream's first id). */
    public static final int MEDIA_MESSAGE_STREAM = MediaFrame.SHARED_MESSAGE_STREAM;

    private final ByteBufAllocator alloc;
    private final int chunkSize;

    public FrameEncoder(ByteBufAllocator alloc, int chunkSize) {
        this.alloc = alloc;
        this.chunkSize = chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Chunks {@code payload} (not released; its bytes are copied into the chunked buffer once). */
    public MediaFrame encode(
            MediaFrame.Kind kind, long timestamp, boolean keyframe, boolean sequenceHeader, ByteBuf payload) {
        int csid;
        int type;
        switch (kind) {
            case AUDIO -> {
                csid = AUDIO_CHUNK_STREAM;
                type = MessageType.AUDIO;
            }
            case VIDEO -> {
                csid = VIDEO_CHUNK_STREAM;
                type = MessageType.VIDEO;
            }
            default -> {
                csid = DATA_CHUNK_STREAM;
                type = MessageType.DATA_AMF0;
            }
        }
        RawMessage raw = new RawMessage(csid, timestamp, type, MEDIA_MESSAGE_STREAM, payload.retainedDuplicate());
        try {
            ByteBuf chunks = ChunkWriter.encodeSelfContained(alloc, raw, chunkSize);
            return new MediaFrame(
                    kind, timestamp, keyframe, sequenceHeader, payload.readableBytes(), chunkSize, chunks);
        } finally {
            raw.release();
        }
    }
}
