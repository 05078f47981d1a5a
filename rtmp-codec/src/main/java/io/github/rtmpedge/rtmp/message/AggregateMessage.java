package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Aggregate (type 22): FLV tags back to back; {@code io.github.rtmpedge.rtmp.flv.AggregateSplitter} splits it. */
public record AggregateMessage(long timestamp, int messageStreamId, ByteBuf content) implements PayloadMessage {

    public AggregateMessage {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int typeId() {
        return MessageType.AGGREGATE;
    }

    @Override
    public AggregateMessage replace(ByteBuf content) {
        return new AggregateMessage(timestamp, messageStreamId, content);
    }
}
