package io.github.rtmpedge.rtmp.flv;

import io.netty.buffer.ByteBuf;

/** Writes an FLV file (FLV spec v10.1, E.2-E.3): the header, then tags each followed by PreviousTagSize. */
public final class FlvWriter {

    private static final int TYPE_FLAG_AUDIO = 0x04;
    private static final int TYPE_FLAG_VIDEO = 0x01;

    private FlvWriter() {}

    /** Writes the 9-byte version-1 header and PreviousTagSize0 (0). */
    public static void writeHeader(ByteBuf out, boolean hasAudio, boolean hasVideo) {
        out.writeByte('F').writeByte('L').writeByte('V');
        out.writeByte(1);
        out.writeByte((hasAudio ? TYPE_FLAG_AUDIO : 0) | (hasVideo ? TYPE_FLAG_VIDEO : 0));
        out.writeInt(FlvHeader.SIZE);
        out.writeInt(0);
    }

    /** Writes {@code tag} (header, data, PreviousTagSize); the tag is neither consumed nor released. */
    public static void writeTag(ByteBuf out, FlvTag tag) {
        writeTag(out, tag.type(), tag.timestamp(), tag.data());
    }

    /**
     * Writes one tag: the 11-byte tag header (StreamID 0), the readable bytes of {@code data} (its
     * indexes are left alone, it is not released) and PreviousTagSize = 11 + DataSize. This is also
     * the layout of one sub-message of an RTMP aggregate message.
     */
    public static void writeTag(ByteBuf out, int type, long timestamp, ByteBuf data) {
        int size = data.readableBytes();
        if (size > FlvTag.MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV tag data exceeds the UI24 DataSize: " + size);
        }
        if (type < 0 || type > 0x1F) {
            throw new IllegalArgumentException("FLV TagType is 5 bits: " + type);
        }
        out.writeByte(type);
        out.writeMedium(size);
        out.writeMedium((int) (timestamp & 0xFFFFFF));
        out.writeByte((int) ((timestamp >>> 24) & 0xFF));
        out.writeMedium(0);
        out.writeBytes(data, data.readerIndex(), size);
        out.writeInt(FlvTag.HEADER_SIZE + size);
    }
}
