package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** A message type this codec does not know: carried through intact. */
public record UnknownMessage(int typeId, long timestamp, int messageStreamId, ByteBuf content)
        implements PayloadMessage {

    public UnknownMessage {
        Objects.requireNonNull(content, "content");
        if (typeId < 0 || typeId > 0xFF) {
            throw new IllegalArgumentException("message type id out of range: " + typeId);
        }
    }

    @Override
    public UnknownMessage replace(ByteBuf content) {
        return new UnknownMessage(typeId, timestamp, messageStreamId, content);
    }
}
