package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Data message (type 18 AMF0, 15 AMF3), e.g. {@code @setDataFrame}/{@code onMetaData}; kept as bytes so that it is relayed exactly. Decode with {@link Messages#dataValues}. */
public record DataMessage(boolean amf3, long timestamp, int messageStreamId, ByteBuf content)
        implements PayloadMessage {

    public DataMessage {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int typeId() {
        return amf3 ? MessageType.DATA_AMF3 : MessageType.DATA_AMF0;
    }

    @Override
    public DataMessage replace(ByteBuf content) {
        return new DataMessage(amf3, timestamp, messageStreamId, content);
    }
}
