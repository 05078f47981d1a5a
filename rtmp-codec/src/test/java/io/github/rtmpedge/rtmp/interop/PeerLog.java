package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.flv.AudioTags;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connection of a scripted peer received, written on its event loop and read by the test
 * thread: every message as the chunk layer delivered it, the commands, the media in order, the
 * errors, and the acknowledgement bookkeeping. Holds no buffers.
 */
final class PeerLog {

    /** One message as {@link io.github.rtmpedge.rtmp.chunk.ChunkDecoder} produced it. */
    record Chunked(int chunkStreamId, long timestamp, int typeId, int messageStreamId, int length) {}

    /**
     * One audio, video or data message, classified.
     *
     * @param dataValues the AMF values of a data message, else empty
     */
    record Media(
            int typeId, long timestamp, int length, boolean sequenceHeader, boolean keyframe, List<Object> dataValues) {

        boolean isVideo() {
            return typeId == MessageType.VIDEO;
        }

        boolean isAudio() {
            return typeId == MessageType.AUDIO;
        }

        boolean isData() {
            return typeId == MessageType.DATA_AMF0 || typeId == MessageType.DATA_AMF3;
        }

        @Override
        public String toString() {
            return (isVideo()
                            ? "video"
                            : isAudio() ? "audio" : "data" + dataValues.subList(0, Math.min(1, dataValues.size())))
                    + "@" + timestamp + (sequenceHeader ? "[seq]" : "") + (keyframe ? "[key]" : "") + "/" + length;
        }
    }

    final List<Chunked> chunked = new CopyOnWriteArrayList<>();
    final List<Command> commands = new CopyOnWriteArrayList<>();
    final List<Media> media = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger acknowledgementsSent = new AtomicInteger();
    /** The sequence number of the last Acknowledgement we sent, -1 before the first. */
    final AtomicLong lastAcknowledged = new AtomicLong(-1);
    /** The chunk layer's byte count at the last message, and the window the peer announced. */
    final AtomicLong bytesReceived = new AtomicLong();

    final AtomicLong acknowledgementWindow = new AtomicLong();
    final AtomicInteger peerChunkSize = new AtomicInteger();

    /** Notes a received message: commands, and audio, video and data classified; others are left out. */
    void record(RtmpMessage msg) {
        if (msg instanceof CommandMessage command) {
            commands.add(command.command());
        } else if (msg instanceof VideoMessage video) {
            media.add(new Media(
                    video.typeId(),
                    video.timestamp(),
                    video.content().readableBytes(),
                    VideoTags.isSequenceHeader(video.content()),
                    VideoTags.isKeyframe(video.content()),
                    List.of()));
        } else if (msg instanceof AudioMessage audio) {
            media.add(new Media(
                    audio.typeId(),
                    audio.timestamp(),
                    audio.content().readableBytes(),
                    AudioTags.isSequenceHeader(audio.content()),
                    false,
                    List.of()));
        } else if (msg instanceof DataMessage data) {
            media.add(new Media(
                    data.typeId(),
                    data.timestamp(),
                    data.content().readableBytes(),
                    false,
                    false,
                    Messages.dataValues(data, AmfLimits.DEFAULT)));
        }
    }

    /** Notes an Acknowledgement sent for {@code sequenceNumber}. */
    void acknowledged(long sequenceNumber) {
        lastAcknowledged.set(sequenceNumber);
        acknowledgementsSent.incrementAndGet();
    }

    /** The first command with this name, if one arrived. */
    Optional<Command> command(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The status codes of every onStatus received, in order. */
    List<String> statusCodes() {
        List<String> codes = new ArrayList<>();
        for (Command c : commands) {
            if (c.name().equals(Commands.ON_STATUS)) {
                codes.add(Status.parse(c.argument(0)).code());
            }
        }
        return codes;
    }

    List<Media> video() {
        return media.stream().filter(Media::isVideo).toList();
    }

    List<Media> audio() {
        return media.stream().filter(Media::isAudio).toList();
    }

    /** Messages of {@code typeId} received, as the chunk layer delivered them. */
    List<Chunked> received(int typeId) {
        return chunked.stream().filter(c -> c.typeId() == typeId).toList();
    }

    /** Milliseconds between the first and the last video message (0 with fewer than two). */
    long videoMillis() {
        List<Media> v = video();
        return v.size() < 2 ? 0 : v.get(v.size() - 1).timestamp() - v.get(0).timestamp();
    }

    /** Audio, video and data messages in arrival order, as chunk stream id → timestamps. */
    Map<Integer, List<Long>> mediaTimestampsByChunkStream() {
        Map<Integer, List<Long>> byStream = new TreeMap<>();
        for (Chunked c : chunked) {
            if (c.typeId() == MessageType.AUDIO || c.typeId() == MessageType.VIDEO) {
                byStream.computeIfAbsent(c.chunkStreamId(), k -> new ArrayList<>())
                        .add(c.timestamp());
            }
        }
        return byStream;
    }

    /** A short description for assertion messages. */
    String summary() {
        List<Media> m = media;
        return "commands=" + commands.stream().map(Command::name).toList()
                + " status=" + statusCodes()
                + " media=" + m.size() + " first=" + m.subList(0, Math.min(6, m.size()))
                + " videoMillis=" + videoMillis()
                + " errors=" + errors
                + " bytes=" + bytesReceived + " ackWindow=" + acknowledgementWindow + " acksSent="
                + acknowledgementsSent;
    }
}
