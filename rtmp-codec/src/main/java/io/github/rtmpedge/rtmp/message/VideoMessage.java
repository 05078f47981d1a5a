package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Video (type 9): an FLV VIDEODATA body; see {@code io.github.rtmpedge.rtmp.flv} to look inside. */
public record VideoMessage(long timestamp, int messageStreamId, ByteBuf content) implements PayloadMessage {

    public VideoMessage {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int typeId() {
        return MessageType.VIDEO;
    }

    @Override
    public VideoMessage replace(ByteBuf content) {
        return new VideoMessage(timestamp, messageStreamId, content);
    }
}
