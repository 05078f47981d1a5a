package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Shared object message (type 19 AMF0, 16 AMF3): carried through intact, not interpreted. */
public record SharedObjectMessage(boolean amf3, long timestamp, int messageStreamId, ByteBuf content)
        implements PayloadMessage {

    public SharedObjectMessage {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int typeId() {
        return amf3 ? MessageType.SHARED_OBJECT_AMF3 : MessageType.SHARED_OBJECT_AMF0;
    }

    @Override
    public SharedObjectMessage replace(ByteBuf content) {
        return new SharedObjectMessage(amf3, timestamp, messageStreamId, content);
    }
}
