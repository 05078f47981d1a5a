package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** FLV tag bodies as encoders send them, and shared frames chunked from them, for the edge tests. */
public final class TestFrames {

    /** AVC video tag (FLV spec E.4.3.1): frame type 1 (key) / 2 (inter) in the high nibble, codec 7 (AVC). */
    public static final int AVC_KEY = 0x17;

    public static final int AVC_INTER = 0x27;
    /** AVCPacketType: 0 sequence header, 1 NALU. */
    public static final int AVC_SEQUENCE_HEADER = 0;

    public static final int AVC_NALU = 1;
    /** AAC audio tag (E.4.2.1): format 10 (AAC), 44 kHz, 16 bit, stereo; AACPacketType 0 header, 1 raw. */
    public static final int AAC = 0xAF;

    private TestFrames() {}

    /** AVC sequence header: 17 00 000000, then an AVCDecoderConfigurationRecord start. */
    public static ByteBuf avcHeader() {
        return Unpooled.wrappedBuffer(new byte[] {AVC_KEY, AVC_SEQUENCE_HEADER, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F});
    }

    /** An AVC keyframe NALU of {@code size} bytes in all: 17 01 000000 then filler {@code fill}. */
    public static ByteBuf avcKey(int size, int fill) {
        return avc(AVC_KEY, size, fill);
    }

    /** An AVC inter frame of {@code size} bytes in all: 27 01 000000 then filler. */
    public static ByteBuf avcInter(int size, int fill) {
        return avc(AVC_INTER, size, fill);
    }

    private static ByteBuf avc(int first, int size, int fill) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeByte(first).writeByte(AVC_NALU).writeMedium(0);
        while (b.readableBytes() < size) {
            b.writeByte(fill);
        }
        return b;
    }

    /** AAC sequence header: AF 00, then AudioSpecificConfig 12 10 (AAC LC, 44.1 kHz, stereo). */
    public static ByteBuf aacHeader() {
        return Unpooled.wrappedBuffer(new byte[] {(byte) AAC, 0, 0x12, 0x10});
    }

    /** A raw AAC frame of {@code size} bytes in all: AF 01 then filler. */
    public static ByteBuf aacRaw(int size, int fill) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeByte(AAC).writeByte(1);
        while (b.readableBytes() < size) {
            b.writeByte(fill);
        }
        return b;
    }

    /** A shared frame of {@code payloadSize} filler bytes, chunked at 128 bytes; the caller releases it. */
    public static MediaFrame frame(
            MediaFrame.Kind kind, long timestamp, boolean keyframe, boolean sequenceHeader, int payloadSize) {
        ByteBuf payload = Unpooled.buffer(payloadSize).writeZero(payloadSize);
        try {
            return new FrameEncoder(ByteBufAllocator.DEFAULT, 128)
                    .encode(kind, timestamp, keyframe, sequenceHeader, payload);
        } finally {
            payload.release();
        }
    }

    public static MediaFrame key(long timestamp, int payloadSize) {
        return frame(MediaFrame.Kind.VIDEO, timestamp, true, false, payloadSize);
    }

    public static MediaFrame inter(long timestamp, int payloadSize) {
        return frame(MediaFrame.Kind.VIDEO, timestamp, false, false, payloadSize);
    }

    public static MediaFrame audio(long timestamp, int payloadSize) {
        return frame(MediaFrame.Kind.AUDIO, timestamp, false, false, payloadSize);
    }

    public static MediaFrame videoHeader(long timestamp) {
        return frame(MediaFrame.Kind.VIDEO, timestamp, false, true, 9);
    }
}
