package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Audio (type 8): an FLV AUDIODATA body; see {@code io.github.rtmpedge.rtmp.flv} to look inside. */
public record AudioMessage(long timestamp, int messageStreamId, ByteBuf content) implements PayloadMessage {

    public AudioMessage {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int typeId() {
        return MessageType.AUDIO;
    }

    @Override
    public AudioMessage replace(ByteBuf content) {
        return new AudioMessage(timestamp, messageStreamId, content);
    }
}
