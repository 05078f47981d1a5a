package io.github.rtmpedge.edge.stream.delivery;

import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One media or data message of a live stream, chunked once for every player (self-contained
 * format 0 chunks on a chunk stream of its own, message stream 1, the server's chunk size).
 * Reference counted: the GOP cache and each player's queue hold a reference to the frame, which
 * holds one to each of its buffers and releases them when the last reference to it goes (the
 * duplicates written to connections hold references of their own to the buffers).
 *
 * <p>Its FLV tag form (for HTTP-FLV players) is built from the chunks the first time a player asks
 * for it, once for all of them whatever loop they are on, and released with the frame: a stream
 * nobody plays over HTTP never builds it.
 */
public final class MediaFrame extends AbstractReferenceCounted {

    private static final AtomicReferenceFieldUpdater<MediaFrame, ByteBuf> FLV_TAG =
            AtomicReferenceFieldUpdater.newUpdater(MediaFrame.class, ByteBuf.class, "flvTag");

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
    private final int chunkSize;
    private final ByteBuf chunks;
    /**
     * Kept apart from {@code chunks}: every player's backlog asks for it on every frame, and the
     * buffer's own indices share a cache line with its reference count, which other event loops
     * write (profiled: 7 % of the edge's CPU at 2000 players went to those misses).
     */
    private final int wireLength;
    /** The FLV tag form, built on first use; null until then and after the frame is freed. */
    private volatile ByteBuf flvTag;
    /** For a {@link #loopView()}: the frame it shows, whose reference it holds; else null. */
    private final MediaFrame origin;
    /** For a loop view: its own retained duplicate of the origin's FLV tag, built on first use. */
    private ByteBuf loopFlvTag;

    /** {@code chunks} holds the payload cut into chunks of {@code chunkSize}. */
    public MediaFrame(
            Kind kind,
            long timestamp,
            boolean keyframe,
            boolean sequenceHeader,
            int payloadLength,
            int chunkSize,
            ByteBuf chunks) {
        this.chunkSize = chunkSize;
        this.kind = kind;
        this.timestamp = timestamp;
        this.keyframe = keyframe;
        this.sequenceHeader = sequenceHeader;
        this.payloadLength = payloadLength;
        this.chunks = chunks;
        this.wireLength = chunks.readableBytes();
        this.origin = null;
    }

    private MediaFrame(MediaFrame origin) {
        this.chunkSize = origin.chunkSize;
        this.kind = origin.kind;
        this.timestamp = origin.timestamp;
        this.keyframe = origin.keyframe;
        this.sequenceHeader = origin.sequenceHeader;
        this.payloadLength = origin.payloadLength;
        this.wireLength = origin.wireLength;
        this.chunks = origin.chunks.retainedDuplicate();
        this.origin = origin;
    }

    /**
     * A view of this frame for the players of one event loop, used only on that loop; it takes over
     * the caller's reference to this frame. Every player retains the frame and a duplicate of its
     * buffer, and releases both once written: on a view those counts are the view's and its own
     * duplicate's, so the players of a loop no longer write the counters of a buffer that other
     * loops write too (cache lines bouncing between cores), only the view does, once per loop.
     */
    public MediaFrame loopView() {
        return new MediaFrame(this);
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
        return wireLength;
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

    /**
     * The frame as one FLV tag (header, payload, previous tag size: FLV spec E.3), shared: write a
     * {@link ByteBuf#retainedDuplicate()} of it. Call only while holding a reference to the frame;
     * safe from any thread.
     */
    public ByteBuf flvTag(ByteBufAllocator alloc) {
        if (origin != null) {
            if (loopFlvTag == null) {
                loopFlvTag = origin.flvTag(alloc).retainedDuplicate();
            }
            return loopFlvTag;
        }
        ByteBuf tag = flvTag;
        if (tag != null) {
            return tag;
        }
        ByteBuf built = buildFlvTag(alloc);
        if (FLV_TAG.compareAndSet(this, null, built)) {
            return built;
        }
        built.release(); // another player's loop built it first
        return flvTag;
    }

    /** Bytes of the FLV tag form. */
    public int flvLength() {
        return FlvTag.HEADER_SIZE + payloadLength + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
    }

    private ByteBuf buildFlvTag(ByteBufAllocator alloc) {
        ByteBuf tag = alloc.ioBuffer(flvLength());
        try {
            // Tag header (FLV spec E.4.1): type, DataSize, Timestamp (24 bits + 8 extended), StreamID 0.
            tag.writeByte(kind == Kind.AUDIO ? FlvTag.AUDIO : kind == Kind.VIDEO ? FlvTag.VIDEO : FlvTag.SCRIPT_DATA);
            tag.writeMedium(payloadLength);
            tag.writeMedium((int) (timestamp & 0xFFFFFF));
            tag.writeByte((int) ((timestamp >>> 24) & 0xFF));
            tag.writeMedium(0);
            // The payload out of the chunks: a format 0 header (1 + 11 bytes, + 4 with an extended
            // timestamp), then a 1-byte format 3 header (+ 4) before every further chunk (RTMP spec 5.3.1).
            int r = chunks.readerIndex();
            boolean extended = chunks.getUnsignedMedium(r + 1) == 0xFFFFFF;
            int pos = r + (extended ? 16 : 12);
            int left = payloadLength;
            while (left > 0) {
                int n = Math.min(chunkSize, left);
                tag.writeBytes(chunks, pos, n);
                pos += n + (extended ? 5 : 1);
                left -= n;
            }
            tag.writeInt(FlvTag.HEADER_SIZE + payloadLength); // PreviousTagSize
            return tag;
        } catch (RuntimeException e) {
            tag.release();
            throw e;
        }
    }

    private void freeFlvTag() {
        ByteBuf tag = FLV_TAG.getAndSet(this, null);
        if (tag != null) {
            tag.release();
        }
    }

    @Override
    public MediaFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MediaFrame touch() {
        return touch(null);
    }

    @Override
    public MediaFrame touch(Object hint) {
        chunks.touch(hint);
        return this;
    }

    /** The last reference went: the frame's own references to its buffers go too. */
    @Override
    protected void deallocate() {
        chunks.release();
        if (origin != null) {
            if (loopFlvTag != null) {
                loopFlvTag.release();
                loopFlvTag = null;
            }
            origin.release();
        } else {
            freeFlvTag();
        }
    }

    @Override
    public String toString() {
        return "MediaFrame(" + kind + ", ts=" + timestamp + (keyframe ? ", key" : "")
                + (sequenceHeader ? ", header" : "") + ", " + payloadLength + " bytes)";
    }
}
