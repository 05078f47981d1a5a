package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.amf.Amf0Writer;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.amf.AmfMap;
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

    private DataFrames() {}

    /** Passes the message to {@code stream}; call on the stream's loop. */
    public static void feed(
            LiveStream stream, LiveStream.Source source, DataMessage data, ByteBufAllocator alloc, AmfLimits limits) {
        List<Object> values = Messages.dataValues(data, limits);
        if (DataMessages.isMetaData(values)) {
            ByteBuf metadata = alloc.buffer();
            try {
                Amf0Writer.writeAll(metadata, DataMessages.unwrapSetDataFrame(values));
                stream.data(source, data.timestamp(), metadata, true);
            } finally {
                metadata.release();
            }
            videoSize(stream, source, DataMessages.unwrapSetDataFrame(values));
        } else if (values.isEmpty() || !DataMessages.SET_DATA_FRAME.equals(values.get(0))) {
            ByteBuf payload = data.content();
            if (data.amf3() && payload.isReadable() && payload.getByte(payload.readerIndex()) == 0) {
                payload = payload.slice(payload.readerIndex() + 1, payload.readableBytes() - 1);
            }
            stream.data(source, data.timestamp(), payload, false);
        }
    }

    /** {@code onMetaData}'s width and height (numbers, in pixels), for the operator's API. */
    private static void videoSize(LiveStream stream, LiveStream.Source source, List<Object> onMetaData) {
        if (onMetaData.size() >= 2 && onMetaData.get(1) instanceof AmfMap map) {
            stream.videoSize(source, pixels(map.get("width")), pixels(map.get("height")));
        }
    }

    private static int pixels(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d >= 1 && d <= 65535 ? (int) d : 0;
        }
        return 0;
    }
}
