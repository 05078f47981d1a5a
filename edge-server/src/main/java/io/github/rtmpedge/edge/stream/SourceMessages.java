package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.flv.AggregateSplitter;
import io.github.rtmpedge.rtmp.message.AggregateMessage;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a source (a local publisher or an upstream pull) sends becomes stream input the same way:
 * audio, video, data (see {@link DataFrames}), and aggregates split into their audio, video and data
 * messages with rebased timestamps. Other types are not stream media and are ignored. Call on the
 * stream's loop; {@code message} is not released.
 */
public final class SourceMessages {

    private SourceMessages() {}

    public static void feed(
            LiveStream stream,
            LiveStream.Source source,
            PayloadMessage message,
            ByteBufAllocator alloc,
            AmfLimits limits) {
        if (message instanceof VideoMessage v) {
            stream.video(source, v.timestamp(), v.content());
        } else if (message instanceof AudioMessage a) {
            stream.audio(source, a.timestamp(), a.content());
        } else if (message instanceof DataMessage d) {
            DataFrames.feed(stream, source, d, alloc, limits);
        } else if (message instanceof AggregateMessage aggregate) {
            RawMessage raw = Messages.encode(aggregate, alloc);
            try {
                AggregateSplitter.split(raw, sub -> {
                    try {
                        switch (sub.typeId()) {
                            case MessageType.VIDEO -> stream.video(source, sub.timestamp(), sub.content());
                            case MessageType.AUDIO -> stream.audio(source, sub.timestamp(), sub.content());
                            default ->
                                DataFrames.feed(
                                        stream,
                                        source,
                                        new DataMessage(false, sub.timestamp(), sub.messageStreamId(), sub.content()),
                                        alloc,
                                        limits);
                        }
                    } finally {
                        sub.release();
                    }
                });
            } finally {
                raw.release();
            }
        }
    }
}
