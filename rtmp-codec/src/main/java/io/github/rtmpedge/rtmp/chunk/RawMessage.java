package io.github.rtmpedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A complete RTMP message as it travels in chunks: the message header fields and the payload,
 * not yet interpreted. The chunk decoder produces these; the chunk encoder consumes them.
 *
 * <p>{@code timestamp} is absolute (deltas already applied), an unsigned 32-bit value held in a
 * long. The holder owns one reference to {@code content}.
 */
public final class RawMessage extends DefaultByteBufHolder {

    private final int chunkStreamId;
    private final long timestamp;
    private final int typeId;
    private final int messageStreamId;

    public RawMessage(int chunkStreamId, long timestamp, int typeId, int messageStreamId, ByteBuf content) {
        super(content);
        if (chunkStreamId < ChunkStreamIds.MIN || chunkStreamId > ChunkStreamIds.MAX) {
            throw new IllegalArgumentException("chunk stream id out of range: " + chunkStreamId);
        }
        if (typeId < 0 || typeId > 0xFF) {
            throw new IllegalArgumentException("message type id out of range: " + typeId);
        }
        this.chunkStreamId = chunkStreamId;
        this.timestamp = timestamp & 0xFFFFFFFFL;
        this.typeId = typeId;
        this.messageStreamId = messageStreamId;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public long timestamp() {
        return timestamp;
    }

    public int typeId() {
        return typeId;
    }

    public int messageStreamId() {
        return messageStreamId;
    }

    /** Payload length in bytes, the message header's 24-bit length field. */
    public int length() {
        return content().readableBytes();
    }

    @Override
    public RawMessage replace(ByteBuf content) {
        return new RawMessage(chunkStreamId, timestamp, typeId, messageStreamId, content);
    }

    @Override
    public RawMessage copy() {
        return (RawMessage) super.copy();
    }

    @Override
    public RawMessage duplicate() {
        return (RawMessage) super.duplicate();
    }

    @Override
    public RawMessage retainedDuplicate() {
        return (RawMessage) super.retainedDuplicate();
    }

    @Override
    public RawMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public RawMessage retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public RawMessage touch() {
        super.touch();
        return this;
    }

    @Override
    public RawMessage touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "RawMessage(csid=" + chunkStreamId + ", ts=" + timestamp + ", type=" + typeId + ", msid="
                + messageStreamId + ", len=" + length() + ")";
    }
}
