package io.github.rtmpedge.rtmp.flv;

import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * One FLV tag (FLV spec v10.1, E.4.1 FLVTAG): its type, its timestamp and its data (the
 * AUDIODATA / VIDEODATA / SCRIPTDATA body, the same bytes an RTMP message of that type carries).
 * The record owns one reference to {@code data}.
 *
 * @param type      TagType: 8 audio, 9 video, 18 script data (the RTMP message type ids)
 * @param timestamp milliseconds, unsigned 32-bit (Timestamp UI24 + TimestampExtended UI8 upper bits)
 * @param data      the tag body
 */
public record FlvTag(int type, long timestamp, ByteBuf data) implements ByteBufHolder {

    /** TagType 8. */
    public static final int AUDIO = 8;
    /** TagType 9. */
    public static final int VIDEO = 9;
    /** TagType 18. */
    public static final int SCRIPT_DATA = 18;

    /** TagType UI8, DataSize UI24, Timestamp UI24, TimestampExtended UI8, StreamID UI24. */
    public static final int HEADER_SIZE = 11;
    /** PreviousTagSize UI32 after every tag. */
    public static final int PREVIOUS_TAG_SIZE_LENGTH = 4;
    /** DataSize is a UI24. */
    public static final int MAX_DATA_SIZE = 0xFFFFFF;

    public FlvTag {
        if (type < 0 || type > 0x1F) {
            throw new IllegalArgumentException("FLV TagType is 5 bits: " + type);
        }
        if (timestamp < 0 || timestamp > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("FLV timestamp is unsigned 32-bit: " + timestamp);
        }
        if (data == null) {
            throw new IllegalArgumentException("FLV tag data is null");
        }
    }

    /** Whether {@code type} is one of the three tag types FLV defines. */
    public static boolean isKnownType(int type) {
        return type == AUDIO || type == VIDEO || type == SCRIPT_DATA;
    }

    /**
     * The RTMP message carrying this tag; ownership of {@code data} moves to the message (do not
     * release this tag afterwards).
     */
    public RawMessage toMessage(int chunkStreamId, int messageStreamId) {
        return new RawMessage(chunkStreamId, timestamp, type, messageStreamId, data);
    }

    @Override
    public ByteBuf content() {
        return data;
    }

    @Override
    public FlvTag copy() {
        return replace(data.copy());
    }

    @Override
    public FlvTag duplicate() {
        return replace(data.duplicate());
    }

    @Override
    public FlvTag retainedDuplicate() {
        return replace(data.retainedDuplicate());
    }

    @Override
    public FlvTag replace(ByteBuf content) {
        return new FlvTag(type, timestamp, content);
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public FlvTag retain() {
        data.retain();
        return this;
    }

    @Override
    public FlvTag retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public FlvTag touch() {
        data.touch();
        return this;
    }

    @Override
    public FlvTag touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }

    @Override
    public String toString() {
        return "FlvTag(type=" + type + ", ts=" + timestamp + ", len=" + data.readableBytes() + ")";
    }
}
