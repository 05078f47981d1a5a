package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.flv.FlvReader;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends the tags of an FLV file as RTMP messages on one message stream, in real time: each tag goes
 * out when its timestamp is due relative to the start, scheduled on the channel's event loop. All
 * state is touched only on that event loop. {@link #stop} (also called when the channel closes)
 * releases what is left.
 */
final class FlvPlayout {

    /**
     * How tags become messages.
     *
     * @param messageStreamId       the stream the media goes out on
     * @param timestampOffset       added to every tag's timestamp (mod 2^32)
     * @param asPublisher           script data goes out as {@code @setDataFrame, onMetaData, {...}}
     *                              (what a publisher sends) instead of the file's {@code onMetaData, {...}}
     * @param fullHeaderOnKeyframes each video keyframe is sent with a format 0 header (absolute
     *                              timestamp) by making the chunk encoder forget the video chunk stream
     */
    record Options(int messageStreamId, long timestampOffset, boolean asPublisher, boolean fullHeaderOnKeyframes) {}

    private final Channel channel;
    private final Path file;
    private final Options options;
    private ByteBuf bytes;
    private FlvReader reader;
    private FlvTag pending;
    private long startNanos;

    FlvPlayout(Channel channel, Path file, Options options) {
        this.channel = channel;
        this.file = file;
        this.options = options;
    }

    /** Starts sending; call on the channel's event loop. */
    void start() {
        try {
            bytes = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = FlvReader.of(bytes);
        startNanos = System.nanoTime();
        channel.closeFuture().addListener(f -> stop());
        sendDue();
    }

    /** Stops and releases the file and any tag read ahead. Idempotent; call on the event loop. */
    void stop() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (bytes != null) {
            bytes.release();
            bytes = null;
        }
    }

    private void sendDue() {
        if (bytes == null) {
            return;
        }
        if (!channel.isActive()) {
            stop();
            return;
        }
        try {
            while (true) {
                if (pending == null) {
                    pending = reader.next();
                    if (pending == null) {
                        channel.flush();
                        stop();
                        return;
                    }
                }
                long waitNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(pending.timestamp()) - System.nanoTime();
                if (waitNanos > TimeUnit.MILLISECONDS.toNanos(1)) {
                    channel.flush();
                    channel.eventLoop().schedule(this::sendDue, waitNanos, TimeUnit.NANOSECONDS);
                    return;
                }
                FlvTag tag = pending;
                pending = null;
                send(tag);
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code tag}, whose buffer it takes over. */
    private void send(FlvTag tag) {
        long timestamp = (tag.timestamp() + options.timestampOffset()) & 0xFFFFFFFFL;
        int msid = options.messageStreamId();
        RtmpMessage message = switch (tag.type()) {
            case FlvTag.AUDIO -> new AudioMessage(timestamp, msid, tag.data());
            case FlvTag.VIDEO -> new VideoMessage(timestamp, msid, tag.data());
            default ->
                options.asPublisher()
                        ? setDataFrame(tag, timestamp)
                        : new DataMessage(false, timestamp, msid, tag.data());
        };
        if (options.fullHeaderOnKeyframes() && message instanceof VideoMessage v && VideoTags.isKeyframe(v.content())) {
            channel.pipeline().get(ChunkEncoder.class).writer().forget(Messages.VIDEO_CHUNK_STREAM);
        }
        channel.write(message);
    }

    private DataMessage setDataFrame(FlvTag tag, long timestamp) {
        try {
            List<Object> values =
                    Messages.dataValues(new DataMessage(false, tag.timestamp(), 0, tag.data()), AmfLimits.DEFAULT);
            return Messages.dataMessage(
                    channel.alloc(),
                    timestamp,
                    options.messageStreamId(),
                    DataMessages.setDataFrame(DataMessages.parseMetaData(values)));
        } finally {
            tag.release();
        }
    }
}
