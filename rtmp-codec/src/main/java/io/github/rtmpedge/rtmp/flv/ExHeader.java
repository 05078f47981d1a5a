package io.github.rtmpedge.rtmp.flv;

import io.netty.buffer.ByteBuf;

/**
 * Walks the Enhanced RTMP extended header shared by audio and video (enhanced-rtmp v2,
 * ExAudioTagHeader / ExVideoTagHeader): the packet type in the low nibble of byte 0, any ModEx
 * records, then a command byte (video command frames), a multitrack byte, or a FOURCC.
 *
 * <p>The result is packed into one {@code long} so the hot path allocates nothing:
 * bits 0-31 the index just after the header (where the composition time or the body starts),
 * 32-35 the effective packet type, 36-39 the multitrack type, bit 40 "command frame",
 * bit 41 "multitrack", bit 42 "FOURCC present" (it then sits in the 4 bytes before that index).
 * {@link #TRUNCATED} when the payload ends inside the header.
 */
final class ExHeader {

    static final long TRUNCATED = -1L;

    private static final long COMMAND = 1L << 40;
    private static final long MULTITRACK = 1L << 41;
    private static final long HAS_FOURCC = 1L << 42;

    /** AvMultitrackType.ManyTracksManyCodecs: each track carries its own FOURCC. */
    static final int MANY_TRACKS_MANY_CODECS = 2;
    /** Audio and video share the ModEx value (AudioPacketType.ModEx = VideoPacketType.ModEx = 7). */
    static final int MOD_EX = 7;

    private ExHeader() {}

    /**
     * @param start   index of byte 0 (the one holding the packet type)
     * @param end     index just past the payload
     * @param multitrackPacketType 6 for video, 5 for audio
     * @param commandFrame whether byte 0 says "video command frame" (always false for audio); it
     *                     only counts if the effective packet type is not Metadata (4)
     */
    static long scan(ByteBuf buf, int start, int end, int multitrackPacketType, boolean commandFrame) {
        int pos = start + 1;
        int packetType = buf.getUnsignedByte(start) & 0x0F;
        // ModEx: UI8 size-1 (255 escapes to UI16 size-1), the data, then modExType(4) | packetType(4).
        while (packetType == MOD_EX) {
            if (pos >= end) {
                return TRUNCATED;
            }
            int size = buf.getUnsignedByte(pos++) + 1;
            if (size == 256) {
                if (end - pos < 2) {
                    return TRUNCATED;
                }
                size = buf.getUnsignedShort(pos) + 1;
                pos += 2;
            }
            if (end - pos < size + 1) {
                return TRUNCATED;
            }
            pos += size;
            packetType = buf.getUnsignedByte(pos++) & 0x0F;
        }
        long flags = 0;
        int multitrackType = 0;
        if (commandFrame && packetType != VideoTags.PACKET_METADATA) {
            // VideoCommand UI8 and no FOURCC.
            if (pos >= end) {
                return TRUNCATED;
            }
            pos++;
            flags |= COMMAND;
        } else if (packetType == multitrackPacketType) {
            if (pos >= end) {
                return TRUNCATED;
            }
            int b = buf.getUnsignedByte(pos++);
            multitrackType = b >>> 4;
            packetType = b & 0x0F;
            flags |= MULTITRACK;
            if (multitrackType != MANY_TRACKS_MANY_CODECS) {
                if (end - pos < 4) {
                    return TRUNCATED;
                }
                pos += 4;
                flags |= HAS_FOURCC;
            }
        } else {
            if (end - pos < 4) {
                return TRUNCATED;
            }
            pos += 4;
            flags |= HAS_FOURCC;
        }
        return (pos & 0xFFFFFFFFL) | ((long) packetType << 32) | ((long) multitrackType << 36) | flags;
    }

    static int end(long scan) {
        return (int) scan;
    }

    static int packetType(long scan) {
        return (int) (scan >>> 32) & 0x0F;
    }

    static int multitrackType(long scan) {
        return (int) (scan >>> 36) & 0x0F;
    }

    static boolean isCommand(long scan) {
        return (scan & COMMAND) != 0;
    }

    static boolean isMultitrack(long scan) {
        return (scan & MULTITRACK) != 0;
    }

    static boolean hasFourCc(long scan) {
        return (scan & HAS_FOURCC) != 0;
    }

    /** The FOURCC, or 0 when absent. */
    static int fourCc(ByteBuf buf, long scan) {
        return hasFourCc(scan) ? buf.getInt(end(scan) - 4) : 0;
    }
}
