package io.github.rtmpedge.edge.stream.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The frames one event loop's merging members are handed in one go ({@link LoopFanOut}), with
 * their RTMP chunks (or FLV tags) laid end to end in one buffer, built the first time a member asks
 * and shared by all of them. Why one buffer: a player that is in step with the stream (nothing waiting, writable)
 * writes the whole batch as one message, so a merged write costs it one buffer, one outbound entry
 * and one write call instead of one of each per frame. Confined to the loop; valid during the
 * hand-over only (a member keeps what it needs by retaining).
 */
public final class FrameBatch {

    private final List<MediaFrame> frames;
    private final long wireBytes;
    private ByteBuf chunks;
    private ByteBuf flvTags;

    /** {@code frames}: the loop's views, held by the caller until after {@link #close()}. */
    FrameBatch(List<MediaFrame> frames, long wireBytes) {
        this.frames = frames;
        this.wireBytes = wireBytes;
    }

    public int size() {
        return frames.size();
    }

    public MediaFrame get(int i) {
        return frames.get(i);
    }

    /** Bytes on the wire of all the frames (as chunked for message stream 1). */
    public long wireBytes() {
        return wireBytes;
    }

    /**
     * Every frame's chunks (message stream {@link MediaFrame#SHARED_MESSAGE_STREAM}) in order, in one
     * buffer the batch owns: write a {@link ByteBuf#retainedDuplicate()} of it.
     */
    public ByteBuf chunks(ByteBufAllocator alloc) {
        if (chunks == null) {
            ByteBuf all = alloc.ioBuffer((int) wireBytes);
            try {
                for (int i = 0, n = frames.size(); i < n; i++) {
                    ByteBuf c = frames.get(i).chunks();
                    all.writeBytes(c, c.readerIndex(), c.readableBytes());
                }
            } catch (RuntimeException e) {
                all.release();
                throw e;
            }
            chunks = all;
        }
        return chunks;
    }

    /**
     * Every frame's FLV tag form ({@link MediaFrame#flvTag}) in order, in one buffer the batch owns:
     * write a {@link ByteBuf#retainedDuplicate()} of it.
     */
    public ByteBuf flvTags(ByteBufAllocator alloc) {
        if (flvTags == null) {
            int length = 0;
            for (int i = 0, n = frames.size(); i < n; i++) {
                length += frames.get(i).flvLength();
            }
            ByteBuf all = alloc.ioBuffer(length);
            try {
                for (int i = 0, n = frames.size(); i < n; i++) {
                    ByteBuf tag = frames.get(i).flvTag(alloc);
                    all.writeBytes(tag, tag.readerIndex(), tag.readableBytes());
                }
            } catch (RuntimeException e) {
                all.release();
                throw e;
            }
            flvTags = all;
        }
        return flvTags;
    }

    /** Ends the hand-over: the batch's own buffers go (members' duplicates keep them while they need them). */
    void close() {
        if (chunks != null) {
            chunks.release();
            chunks = null;
        }
        if (flvTags != null) {
            flvTags.release();
            flvTags = null;
        }
    }
}
