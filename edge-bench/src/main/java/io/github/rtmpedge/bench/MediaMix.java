package io.github.rtmpedge.bench;

import io.github.rtmpedge.rtmp.chunk.ChunkStreamIds;
import io.github.rtmpedge.rtmp.chunk.ChunkWriter;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.github.rtmpedge.rtmp.message.Messages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic "2 Mbps-like" live stream: H.264-style video at 30 fps (a 60 KiB keyframe every
 * 2 s, 7,433-byte inter frames, ~2 Mbps in all) and AAC-style audio (~370 bytes, 43 frames a second,
 * ~128 kbps), interleaved by timestamp as a publisher sends them. Payload bytes after the FLV tag
 * header are pseudo-random from a fixed seed, so every run measures the same bytes.
 */
final class MediaMix {

    static final int VIDEO_FPS = 30;
    static final int KEYFRAME_INTERVAL_MS = 2_000;
    static final int KEYFRAME_BYTES = 60 * 1024;
    /** Fills each 2 s GOP to 500,000 bytes: (500,000 - 61,440) / 59 inter frames. */
    static final int INTER_FRAME_BYTES = 7_433;

    static final int AUDIO_FRAME_BYTES = 370;
    /** AAC: 1024 samples per frame at 44.1 kHz, i.e. ~43.07 frames a second. */
    static final int AAC_SAMPLES_PER_FRAME = 1024;

    static final int AAC_SAMPLE_RATE = 44_100;
    static final int MESSAGE_STREAM_ID = 1;

    private static final long SEED = 0x5EED_2B1D_EAL;

    private MediaMix() {}

    /**
     * The messages of {@code seconds} of media, in sending order. Each holds an unpooled direct
     * buffer (as if read off a socket); the caller releases them.
     */
    static List<RawMessage> generate(int seconds) {
        SplittableRandom random = new SplittableRandom(SEED);
        int videoFrames = seconds * VIDEO_FPS;
        int audioFrames = (int) ((long) seconds * AAC_SAMPLE_RATE / AAC_SAMPLES_PER_FRAME);
        int framesPerGop = VIDEO_FPS * KEYFRAME_INTERVAL_MS / 1000;
        List<RawMessage> messages = new ArrayList<>(videoFrames + audioFrames);
        int v = 0;
        int a = 0;
        while (v < videoFrames || a < audioFrames) {
            long videoTs = v < videoFrames ? v * 1000L / VIDEO_FPS : Long.MAX_VALUE;
            long audioTs = a < audioFrames ? a * 1000L * AAC_SAMPLES_PER_FRAME / AAC_SAMPLE_RATE : Long.MAX_VALUE;
            if (audioTs <= videoTs) {
                messages.add(audio(audioTs, random));
                a++;
            } else {
                messages.add(video(videoTs, v % framesPerGop == 0, random));
                v++;
            }
        }
        return messages;
    }

    /** The Set Chunk Size message a sender puts first so that the peer reads its chunks right (spec 5.4.1). */
    static RawMessage setChunkSize(int chunkSize) {
        ByteBuf payload = Unpooled.buffer(4).writeInt(chunkSize);
        return new RawMessage(ChunkStreamIds.PROTOCOL_CONTROL, 0, MessageType.SET_CHUNK_SIZE, 0, payload);
    }

    /** The wire a publisher sends with one {@link ChunkWriter}: Set Chunk Size, then every message. */
    static byte[] encode(List<RawMessage> messages, int chunkSize) {
        ByteBuf out = Unpooled.buffer(encodedLengthBound(messages, chunkSize));
        try {
            writeAll(new ChunkWriter(), messages, chunkSize, out);
            byte[] wire = new byte[out.readableBytes()];
            out.readBytes(wire);
            return wire;
        } finally {
            out.release();
        }
    }

    /** Writes Set Chunk Size and then {@code messages} through {@code writer}. */
    static void writeAll(ChunkWriter writer, List<RawMessage> messages, int chunkSize, ByteBuf out) {
        RawMessage control = setChunkSize(chunkSize);
        try {
            writer.write(control, out);
        } finally {
            control.release();
        }
        for (RawMessage message : messages) {
            writer.write(message, out);
        }
    }

    static int encodedLengthBound(List<RawMessage> messages, int chunkSize) {
        long bound = 64;
        for (RawMessage message : messages) {
            bound += ChunkWriter.maxEncodedLength(message, chunkSize);
        }
        return Math.toIntExact(bound);
    }

    static long payloadBytes(List<RawMessage> messages) {
        long total = 0;
        for (RawMessage message : messages) {
            total += message.length();
        }
        return total;
    }

    /** FLV AUDIODATA: SoundFormat 10 (AAC), 44 kHz, 16 bit, stereo (0xAF); AACPacketType 1 (raw). */
    private static RawMessage audio(long timestamp, SplittableRandom random) {
        ByteBuf payload = Unpooled.directBuffer(AUDIO_FRAME_BYTES);
        payload.writeByte(0xAF).writeByte(0x01);
        fill(payload, AUDIO_FRAME_BYTES - 2, random);
        return new RawMessage(Messages.AUDIO_CHUNK_STREAM, timestamp, MessageType.AUDIO, MESSAGE_STREAM_ID, payload);
    }

    /**
     * FLV VIDEODATA: FrameType 1 (key) or 2 (inter) with CodecID 7 (AVC), AVCPacketType 1 (NALU),
     * CompositionTime 0, then one length-prefixed NAL unit of pseudo-random bytes.
     */
    private static RawMessage video(long timestamp, boolean keyframe, SplittableRandom random) {
        int length = keyframe ? KEYFRAME_BYTES : INTER_FRAME_BYTES;
        ByteBuf payload = Unpooled.directBuffer(length);
        payload.writeByte(keyframe ? 0x17 : 0x27).writeByte(0x01).writeMedium(0);
        int nalLength = length - 5 - 4;
        payload.writeInt(nalLength);
        fill(payload, nalLength, random);
        return new RawMessage(Messages.VIDEO_CHUNK_STREAM, timestamp, MessageType.VIDEO, MESSAGE_STREAM_ID, payload);
    }

    private static void fill(ByteBuf payload, int n, SplittableRandom random) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            payload.writeLong(random.nextLong());
        }
        for (; i < n; i++) {
            payload.writeByte(random.nextInt(256));
        }
    }

    /** Copies {@code wire} into a pooled direct buffer, as received bytes would sit. */
    static ByteBuf pooledDirect(ByteBufAllocator alloc, byte[] wire) {
        ByteBuf buf = alloc.directBuffer(wire.length, wire.length);
        buf.writeBytes(wire);
        return buf;
    }
}
