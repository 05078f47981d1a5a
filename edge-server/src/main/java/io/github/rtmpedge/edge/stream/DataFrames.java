package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.amf.Amf0Writer;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * What a data message from a source becomes for the players: metadata ({@code @setDataFrame
 * onMetaData} or {@code onMetaData}) is rewritten as a plain AMF0 {@code onMetaData} and kept for late
 * joiners; other data (onTextData, onCuePoint...) is relayed as AMF0; other {@code @setDataFrame}
 * payloads (meant for recorders) are dropped.
 */
public final class DataFrames {

    private DataFrames() {
    }

    /** Passes the message to {@code stream}; call on the stream's loop. */
    public static void feed(LiveStream stream, LiveStream.Source source, DataMessage data, ByteBufAllocator alloc,
                            AmfLimits limits) {
        List<Object> values = Messages.dataValues(data, limits);
        if (DataMessages.isMetaData(values)) {
            ByteBuf metadata = alloc.buffer();
            try {
                Amf0Writer.writeAll(metadata, DataMessages.unwrapSetDataFrame(values));
                stream.data(source, data.timestamp(), metadata, true);
            } finally {
                metadata.release();
            }
        } else if (values.isEmpty() || !DataMessages.SET_DATA_FRAME.equals(values.get(0))) {
            ByteBuf payload = data.content();
            if (data.amf3() && payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
                payload = payload.slice(payload.readerIndex() + 1, payload.readableBytes() - 1);
            }
            stream.data(source, data.timestamp(), payload, false);
        }
    }
}
