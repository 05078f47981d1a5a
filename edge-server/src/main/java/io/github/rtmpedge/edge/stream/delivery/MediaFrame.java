package io.github.rtmpedge.edge.stream.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;

/**
 * One media or data message of a live stream, chunked once for every player (self-contained
 * format 0 chunks on a chunk stream of its own, message stream 1, the server's chunk size).
 * Reference counted through its buffer: the GOP cache and each player's queue hold a reference.
 */
public final class MediaFrame implements ReferenceCounted {

    /** The message stream id every shared frame is chunked with (createStream's first id). */
    public static final int SHARED_MESSAGE_STREAM = 1;

    /** What a frame is, as far as fan-out and caching care. */
    public enum Kind {
        AUDIO,
        VIDEO,
        DATA
    }

    private final Kind kind;
    private final long timestamp;
    private final boolean keyframe;
    private final boolean sequenceHeader;
    private final int payloadLength;
    private final ByteBuf chunks;

    public MediaFrame(
            Kind kind, long timestamp, boolean keyframe, boolean sequenceHeader, int payloadLength, ByteBuf chunks) {
        this.kind = kind;
        this.timestamp = timestamp;
        this.keyframe = keyframe;
        this.sequenceHeader = sequenceHeader;
        this.payloadLength = payloadLength;
        this.chunks = chunks;
    }

    public Kind kind() {
        return kind;
    }

    public long timestamp() {
        return timestamp;
    }

    /** A video frame a decoder can start from. */
    public boolean keyframe() {
        return keyframe;
    }

    /** An AVC/HEVC/AAC/... sequence header (decoder configuration). */
    public boolean sequenceHeader() {
        return sequenceHeader;
    }

    /** Never dropped for a slow player: without it nothing that follows decodes. */
    public boolean essential() {
        return sequenceHeader || kind == Kind.DATA;
    }

    /** Payload bytes (the message length), for statistics. */
    public int payloadLength() {
        return payloadLength;
    }

    /** The chunked bytes; shared: write a {@link ByteBuf#retainedDuplicate()} of it. */
    public ByteBuf chunks() {
        return chunks;
    }

    /** Bytes on the wire. */
    public int wireLength() {
        return chunks.readableBytes();
    }

    /**
     * A retained view of the chunks for a connection whose media message stream is
     * {@code messageStreamId}. For stream 1 that is a plain duplicate; otherwise the format 0 header
     * is copied with the id patched (only that header carries it) and the rest is shared.
     */
    public ByteBuf chunksFor(int messageStreamId, ByteBufAllocator alloc) {
        if (messageStreamId == SHARED_MESSAGE_STREAM) {
            return chunks.retainedDuplicate();
        }
        // 1-byte basic header (csid 6..8), then timestamp 3, length 3, type 1, stream id 4 (little-endian)
        int headerLength = (chunks.getUnsignedMedium(chunks.readerIndex() + 1) == 0xFFFFFF) ? 16 : 12;
        ByteBuf header = alloc.buffer(headerLength);
        header.writeBytes(chunks, chunks.readerIndex(), headerLength);
        header.setIntLE(8, messageStreamId);
        return alloc.compositeBuffer(2)
                .addComponents(
                        true,
                        header,
                        chunks.retainedSlice(
                                chunks.readerIndex() + headerLength, chunks.readableBytes() - headerLength));
    }

    @Override
    public int refCnt() {
        return chunks.refCnt();
    }

    @Override
    public MediaFrame retain() {
        chunks.retain();
        return this;
    }

    @Override
    public MediaFrame retain(int increment) {
        chunks.retain(increment);
        return this;
    }

    @Override
    public MediaFrame touch() {
        chunks.touch();
        return this;
    }

    @Override
    public MediaFrame touch(Object hint) {
        chunks.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return chunks.release();
    }

    @Override
    public boolean release(int decrement) {
        return chunks.release(decrement);
    }

    @Override
    public String toString() {
        return "MediaFrame(" + kind + ", ts=" + timestamp + (keyframe ? ", key" : "")
                + (sequenceHeader ? ", header" : "") + ", " + payloadLength + " bytes)";
    }
}
