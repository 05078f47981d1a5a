package io.github.rtmpedge.rtmp.flv;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.netty.buffer.ByteBuf;

/**
 * Reads the header of an RTMP audio message payload, which is an FLV AUDIODATA body: the legacy
 * AudioTagHeader (FLV spec v10.1, E.4.2.1) or the Enhanced RTMP ExAudioTagHeader (veovera
 * enhanced-rtmp v2, "Enhanced Audio").
 *
 * <p>Same contract as {@link VideoTags}: the predicates read with absolute indexes from
 * {@code readerIndex}, never move an index, never copy, allocate nothing and never throw;
 * {@link #parse} builds an {@link AudioTagHeader} and throws {@link RtmpCodecException} on a
 * truncated header.
 *
 * <p>Layout facts relied on:
 * <ul>
 * <li>Legacy: byte 0 = SoundFormat (bits 4-7) | SoundRate (bits 2-3) | SoundSize (bit 1) |
 *     SoundType (bit 0); for AAC (10) then AACPacketType UI8 (0 AudioSpecificConfig, 1 raw).</li>
 * <li>Enhanced: SoundFormat 9 (ExHeader) and the low nibble is AudioPacketType; then ModEx records
 *     while it is ModEx (7); then for Multitrack (5) a byte AvMultitrackType | AudioPacketType and a
 *     FOURCC unless ManyTracksManyCodecs; else a FOURCC.</li>
 * <li>An empty audio message is legal: RTMP's undocumented "audio silence" message has no header.</li>
 * </ul>
 * Multitrack and ModEx are looked through as for video. MultichannelConfig (4) is not reported as
 * a sequence header; its packet type is available from {@link #parse}.
 */
public final class AudioTags {

    /** SoundFormat 9: the E-RTMP extended header follows. */
    public static final int SOUND_FORMAT_EX_HEADER = 9;
    /** SoundFormat 10. */
    public static final int SOUND_FORMAT_AAC = 10;

    /** AACPacketType 0: AudioSpecificConfig. */
    public static final int AAC_SEQUENCE_HEADER = 0;
    /** AACPacketType 1: raw AAC frame data. */
    public static final int AAC_RAW = 1;

    /** E-RTMP AudioPacketType 0. */
    public static final int PACKET_SEQUENCE_START = 0;
    /** E-RTMP AudioPacketType 1. */
    public static final int PACKET_CODED_FRAMES = 1;
    /** E-RTMP AudioPacketType 2. */
    public static final int PACKET_SEQUENCE_END = 2;
    /** E-RTMP AudioPacketType 4: channel count and order. */
    public static final int PACKET_MULTICHANNEL_CONFIG = 4;
    /** E-RTMP AudioPacketType 5. */
    public static final int PACKET_MULTITRACK = 5;
    /** E-RTMP AudioPacketType 7. */
    public static final int PACKET_MOD_EX = 7;

    private static final int NO_PACKET_TYPE = -1;

    private AudioTags() {}

    /** The SoundFormat nibble (9 for enhanced), or -1 for an empty payload. */
    public static int soundFormat(ByteBuf payload) {
        return payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) >>> 4 : -1;
    }

    /** Whether SoundFormat is 9 (ExHeader). False for an empty payload. */
    public static boolean isEnhanced(ByteBuf payload) {
        return soundFormat(payload) == SOUND_FORMAT_EX_HEADER;
    }

    /** Whether this is a decoder configuration: AAC AudioSpecificConfig, or enhanced SequenceStart. */
    public static boolean isSequenceHeader(ByteBuf payload) {
        // AAC_SEQUENCE_HEADER and PACKET_SEQUENCE_START are both 0.
        return effectivePacketType(payload) == PACKET_SEQUENCE_START;
    }

    /** Whether this is an enhanced SequenceEnd (legacy audio has none). */
    public static boolean isSequenceEnd(ByteBuf payload) {
        return isEnhanced(payload) && effectivePacketType(payload) == PACKET_SEQUENCE_END;
    }

    /** Whether this is an enhanced multitrack message (possibly behind ModEx records). */
    public static boolean isMultitrack(ByteBuf payload) {
        if (!isEnhanced(payload)) {
            return false;
        }
        int ri = payload.readerIndex();
        int packetType = payload.getUnsignedByte(ri) & 0x0F;
        if (packetType != PACKET_MULTITRACK && packetType != PACKET_MOD_EX) {
            return false;
        }
        long scan = ExHeader.scan(payload, ri, payload.writerIndex(), PACKET_MULTITRACK, false);
        return scan >= 0 && ExHeader.isMultitrack(scan);
    }

    /**
     * The codec: the legacy SoundFormat, or the enhanced FOURCC. {@link AudioCodec#UNKNOWN} for an
     * empty or truncated payload, a reserved format, an unknown FOURCC and a ManyTracksManyCodecs
     * multitrack message.
     */
    public static AudioCodec audioCodec(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            return AudioCodec.UNKNOWN;
        }
        int b0 = payload.getUnsignedByte(ri);
        if (b0 >>> 4 != SOUND_FORMAT_EX_HEADER) {
            return AudioCodec.ofSoundFormat(b0 >>> 4);
        }
        int packetType = b0 & 0x0F;
        if (packetType != PACKET_MOD_EX && packetType != PACKET_MULTITRACK) {
            return end - ri >= 5 ? AudioCodec.ofFourCc(payload.getInt(ri + 1)) : AudioCodec.UNKNOWN;
        }
        long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, false);
        if (scan < 0 || !ExHeader.hasFourCc(scan)) {
            return AudioCodec.UNKNOWN;
        }
        return AudioCodec.ofFourCc(ExHeader.fourCc(payload, scan));
    }

    /**
     * AACPacketType for legacy AAC, the effective AudioPacketType for enhanced audio, -1 for other
     * legacy formats and for headers cut short.
     */
    private static int effectivePacketType(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            return NO_PACKET_TYPE;
        }
        int b0 = payload.getUnsignedByte(ri);
        int soundFormat = b0 >>> 4;
        if (soundFormat == SOUND_FORMAT_AAC) {
            return end - ri >= 2 ? payload.getUnsignedByte(ri + 1) : NO_PACKET_TYPE;
        }
        if (soundFormat != SOUND_FORMAT_EX_HEADER) {
            return NO_PACKET_TYPE;
        }
        int packetType = b0 & 0x0F;
        if (packetType != PACKET_MOD_EX && packetType != PACKET_MULTITRACK) {
            return end - ri >= 5 ? packetType : NO_PACKET_TYPE;
        }
        long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, false);
        return scan < 0 ? NO_PACKET_TYPE : ExHeader.packetType(scan);
    }

    /**
     * Parses the whole header. Not for the hot path (it allocates the record).
     *
     * @throws RtmpCodecException if the payload is empty (a silence message has no header to parse)
     *                            or ends inside the header
     */
    public static AudioTagHeader parse(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            throw new RtmpCodecException("audio payload is empty: no AudioTagHeader");
        }
        int b0 = payload.getUnsignedByte(ri);
        int soundFormat = b0 >>> 4;
        if (soundFormat == SOUND_FORMAT_EX_HEADER) {
            long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, false);
            if (scan < 0) {
                throw new RtmpCodecException("enhanced audio header truncated: payload of " + (end - ri)
                        + " byte(s) ends inside the ModEx records, the multitrack byte or the FOURCC");
            }
            int fourCc = ExHeader.fourCc(payload, scan);
            AudioCodec codec = ExHeader.hasFourCc(scan) ? AudioCodec.ofFourCc(fourCc) : AudioCodec.UNKNOWN;
            boolean multitrack = ExHeader.isMultitrack(scan);
            return new AudioTagHeader(
                    true,
                    codec,
                    soundFormat,
                    fourCc,
                    -1,
                    -1,
                    -1,
                    ExHeader.packetType(scan),
                    multitrack,
                    multitrack ? ExHeader.multitrackType(scan) : -1,
                    ExHeader.end(scan) - ri);
        }
        int soundRate = (b0 >>> 2) & 0x03;
        int soundSize = (b0 >>> 1) & 0x01;
        int soundType = b0 & 0x01;
        AudioCodec codec = AudioCodec.ofSoundFormat(soundFormat);
        if (soundFormat == SOUND_FORMAT_AAC) {
            if (end - ri < 2) {
                throw new RtmpCodecException("AAC audio header truncated: the AACPacketType byte is missing");
            }
            return new AudioTagHeader(
                    false,
                    codec,
                    soundFormat,
                    0,
                    soundRate,
                    soundSize,
                    soundType,
                    payload.getUnsignedByte(ri + 1),
                    false,
                    -1,
                    2);
        }
        return new AudioTagHeader(
                false, codec, soundFormat, 0, soundRate, soundSize, soundType, NO_PACKET_TYPE, false, -1, 1);
    }
}
