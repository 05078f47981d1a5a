package io.github.rtmpedge.rtmp.flv;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.netty.buffer.ByteBuf;
import java.util.OptionalInt;

/**
 * Reads the header of an RTMP video message payload, which is an FLV VIDEODATA body: the legacy
 * VideoTagHeader (FLV spec v10.1, E.4.3.1) or the Enhanced RTMP ExVideoTagHeader (veovera
 * enhanced-rtmp v2, "Enhanced Video").
 *
 * <p>The predicates ({@link #isKeyframe}, {@link #isSequenceHeader}, ...) are meant for the per-message
 * hot path: they read with absolute indexes from {@code readerIndex}, never move an index, never copy,
 * allocate nothing and never throw on short or odd payloads (they answer {@code false} or
 * {@link VideoCodec#UNKNOWN}). {@link #parse} builds a {@link VideoTagHeader} for everything else and
 * throws {@link RtmpCodecException} on a truncated header.
 *
 * <p>Layout facts relied on:
 * <ul>
 * <li>Legacy: byte 0 = FrameType (high nibble) | CodecID (low nibble); for AVC (7), and the
 *     non-standard HEVC (12) and AV1 (13) ids, then AVCPacketType UI8 and CompositionTime SI24.
 *     A command frame (FrameType 5) carries a UI8 command right after byte 0 (as ffmpeg reads it).</li>
 * <li>Enhanced: byte 0 = IsExHeader (bit 7) | VideoFrameType (bits 4-6) | VideoPacketType (bits 0-3);
 *     then ModEx records while the packet type is ModEx (7); then a UI8 VideoCommand if the frame
 *     type is Command (5) and the packet type is not Metadata (4); else, for Multitrack (6), a byte
 *     AvMultitrackType | VideoPacketType and a FOURCC unless ManyTracksManyCodecs; else a FOURCC.
 *     CodedFrames (1) of avc1/hvc1/vvc1 then carries CompositionTime SI24; CodedFramesX (3) implies 0.</li>
 * </ul>
 *
 * <p>Multitrack and ModEx: the predicates look through ModEx records and through the multitrack byte
 * to the effective packet type, so a multitrack keyframe is a keyframe and a multitrack SequenceStart
 * is a sequence header. A multitrack message can carry several tracks' sequence headers; a server
 * that keeps a single sequence-header slot should check {@link #isMultitrack} and handle such
 * streams per track. MPEG2TSSequenceStart (5) and Metadata (4) are not reported as sequence headers;
 * their packet type is available from {@link #parse}.
 */
public final class VideoTags {

    /** VideoFrameType 1: a seekable frame. */
    public static final int FRAME_KEY = 1;
    /** VideoFrameType 2: a non-seekable frame. */
    public static final int FRAME_INTER = 2;
    /** VideoFrameType 3: H.263 only. */
    public static final int FRAME_DISPOSABLE_INTER = 3;
    /** VideoFrameType 4: reserved for server use; seekable. */
    public static final int FRAME_GENERATED_KEY = 4;
    /** VideoFrameType 5: video info / command frame, no video data. */
    public static final int FRAME_COMMAND = 5;

    /** Legacy AVCPacketType 0: AVCDecoderConfigurationRecord (also HEVC/AV1 under ids 12/13). */
    public static final int AVC_SEQUENCE_HEADER = 0;
    /** Legacy AVCPacketType 1: NALUs. */
    public static final int AVC_NALU = 1;
    /** Legacy AVCPacketType 2: end of sequence. */
    public static final int AVC_END_OF_SEQUENCE = 2;

    /** E-RTMP VideoPacketType 0. */
    public static final int PACKET_SEQUENCE_START = 0;
    /** E-RTMP VideoPacketType 1: coded frames with a composition time for avc1/hvc1/vvc1. */
    public static final int PACKET_CODED_FRAMES = 1;
    /** E-RTMP VideoPacketType 2. */
    public static final int PACKET_SEQUENCE_END = 2;
    /** E-RTMP VideoPacketType 3: coded frames, composition time implied 0. */
    public static final int PACKET_CODED_FRAMES_X = 3;
    /** E-RTMP VideoPacketType 4: AMF-encoded metadata (e.g. colorInfo). */
    public static final int PACKET_METADATA = 4;
    /** E-RTMP VideoPacketType 5. */
    public static final int PACKET_MPEG2TS_SEQUENCE_START = 5;
    /** E-RTMP VideoPacketType 6. */
    public static final int PACKET_MULTITRACK = 6;
    /** E-RTMP VideoPacketType 7. */
    public static final int PACKET_MOD_EX = 7;

    private static final int IS_EX_HEADER = 0x80;
    private static final int NO_PACKET_TYPE = -1;

    private VideoTags() {}

    /** Whether byte 0 has IsExHeader set (Enhanced RTMP). False for an empty payload. */
    public static boolean isEnhanced(ByteBuf payload) {
        return payload.isReadable() && (payload.getUnsignedByte(payload.readerIndex()) & IS_EX_HEADER) != 0;
    }

    /** The frame type (1..5 defined, others reserved), or -1 for an empty payload. */
    public static int frameType(ByteBuf payload) {
        if (!payload.isReadable()) {
            return -1;
        }
        int b0 = payload.getUnsignedByte(payload.readerIndex());
        return (b0 & IS_EX_HEADER) != 0 ? (b0 >>> 4) & 0x07 : b0 >>> 4;
    }

    /**
     * Whether this is a keyframe carrying coded video: frame type key or generated key, and for
     * AVC-style legacy codecs AVCPacketType NALU, for enhanced CodedFrames or CodedFramesX. Sequence
     * headers and command frames are not keyframes.
     */
    public static boolean isKeyframe(ByteBuf payload) {
        int frameType = frameType(payload);
        if (frameType != FRAME_KEY && frameType != FRAME_GENERATED_KEY) {
            return false;
        }
        int b0 = payload.getUnsignedByte(payload.readerIndex());
        int packetType = effectivePacketType(payload);
        if ((b0 & IS_EX_HEADER) != 0) {
            return packetType == PACKET_CODED_FRAMES || packetType == PACKET_CODED_FRAMES_X;
        }
        if (VideoCodec.ofLegacyId(b0 & 0x0F).hasLegacyPacketType()) {
            return packetType == AVC_NALU;
        }
        return true;
    }

    /** Whether this is a decoder configuration: legacy AVCPacketType 0, or enhanced SequenceStart. */
    public static boolean isSequenceHeader(ByteBuf payload) {
        // Legacy AVC_SEQUENCE_HEADER and enhanced PACKET_SEQUENCE_START are both 0.
        return effectivePacketType(payload) == PACKET_SEQUENCE_START;
    }

    /**
     * The CompositionTime of a video tag body in milliseconds (how long after its timestamp the
     * frame is presented): from the legacy AVC/HEVC header or an enhanced CodedFrames header; 0 when
     * the codec or packet carries none, and for a body too short or malformed to tell.
     */
    public static int compositionTime(ByteBuf payload) {
        try {
            return parse(payload).compositionTime().orElse(0);
        } catch (RtmpCodecException malformed) {
            return 0;
        }
    }

    /** Whether this is an end of sequence: legacy AVCPacketType 2, or enhanced SequenceEnd. */
    public static boolean isSequenceEnd(ByteBuf payload) {
        return effectivePacketType(payload) == PACKET_SEQUENCE_END;
    }

    /** Whether this is a command (video info) frame, which carries no video data. */
    public static boolean isCommandFrame(ByteBuf payload) {
        if (frameType(payload) != FRAME_COMMAND) {
            return false;
        }
        int b0 = payload.getUnsignedByte(payload.readerIndex());
        if ((b0 & IS_EX_HEADER) == 0) {
            return true;
        }
        long scan = ExHeader.scan(payload, payload.readerIndex(), payload.writerIndex(), PACKET_MULTITRACK, true);
        return scan >= 0 && ExHeader.isCommand(scan);
    }

    /** Whether this is an enhanced multitrack message (possibly behind ModEx records). */
    public static boolean isMultitrack(ByteBuf payload) {
        if (!isEnhanced(payload)) {
            return false;
        }
        int ri = payload.readerIndex();
        int b0 = payload.getUnsignedByte(ri);
        int packetType = b0 & 0x0F;
        if (packetType != PACKET_MULTITRACK && packetType != PACKET_MOD_EX) {
            return false;
        }
        long scan = ExHeader.scan(
                payload, ri, payload.writerIndex(), PACKET_MULTITRACK, ((b0 >>> 4) & 0x07) == FRAME_COMMAND);
        return scan >= 0 && ExHeader.isMultitrack(scan);
    }

    /**
     * The codec: the legacy CodecID, or the enhanced FOURCC. {@link VideoCodec#UNKNOWN} for an empty
     * or truncated payload, an unknown id or FOURCC, an enhanced command frame and a
     * ManyTracksManyCodecs multitrack message (whose codecs are per track).
     */
    public static VideoCodec videoCodec(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            return VideoCodec.UNKNOWN;
        }
        int b0 = payload.getUnsignedByte(ri);
        if ((b0 & IS_EX_HEADER) == 0) {
            return VideoCodec.ofLegacyId(b0 & 0x0F);
        }
        int packetType = b0 & 0x0F;
        boolean command = ((b0 >>> 4) & 0x07) == FRAME_COMMAND;
        if (packetType != PACKET_MOD_EX && packetType != PACKET_MULTITRACK && !command) {
            return end - ri >= 5 ? VideoCodec.ofFourCc(payload.getInt(ri + 1)) : VideoCodec.UNKNOWN;
        }
        long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, command);
        if (scan < 0 || !ExHeader.hasFourCc(scan)) {
            return VideoCodec.UNKNOWN;
        }
        return VideoCodec.ofFourCc(ExHeader.fourCc(payload, scan));
    }

    /**
     * The packet type that decides what the message carries, or -1 when there is none: a legacy
     * codec without packet types, a command frame, or a header cut short (the whole legacy
     * AVC-style header of 5 bytes, or the enhanced header up to its FOURCC, must be present).
     */
    private static int effectivePacketType(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            return NO_PACKET_TYPE;
        }
        int b0 = payload.getUnsignedByte(ri);
        if ((b0 & IS_EX_HEADER) != 0) {
            int packetType = b0 & 0x0F;
            boolean command = ((b0 >>> 4) & 0x07) == FRAME_COMMAND;
            if (packetType != PACKET_MOD_EX && packetType != PACKET_MULTITRACK) {
                // Common case: one byte and a FOURCC, no scan needed.
                if (command && packetType != PACKET_METADATA) {
                    return NO_PACKET_TYPE;
                }
                return end - ri >= 5 ? packetType : NO_PACKET_TYPE;
            }
            long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, command);
            return scan < 0 || ExHeader.isCommand(scan) ? NO_PACKET_TYPE : ExHeader.packetType(scan);
        }
        if ((b0 >>> 4) == FRAME_COMMAND || !VideoCodec.ofLegacyId(b0 & 0x0F).hasLegacyPacketType() || end - ri < 5) {
            return NO_PACKET_TYPE;
        }
        return payload.getUnsignedByte(ri + 1);
    }

    /**
     * Parses the whole header. Not for the hot path (it allocates the record).
     *
     * @throws RtmpCodecException if the payload is empty or ends inside the header
     */
    public static VideoTagHeader parse(ByteBuf payload) {
        int ri = payload.readerIndex();
        int end = payload.writerIndex();
        if (ri >= end) {
            throw new RtmpCodecException("video payload is empty: no VideoTagHeader");
        }
        int b0 = payload.getUnsignedByte(ri);
        if ((b0 & IS_EX_HEADER) != 0) {
            return parseEnhanced(payload, ri, end, b0);
        }
        int frameType = b0 >>> 4;
        int codecId = b0 & 0x0F;
        VideoCodec codec = VideoCodec.ofLegacyId(codecId);
        if (frameType == FRAME_COMMAND) {
            if (end - ri < 2) {
                throw new RtmpCodecException(
                        "video command frame truncated: " + (end - ri) + " byte(s), the command byte is missing");
            }
            return new VideoTagHeader(
                    false,
                    frameType,
                    codec,
                    codecId,
                    0,
                    NO_PACKET_TYPE,
                    OptionalInt.empty(),
                    payload.getUnsignedByte(ri + 1),
                    false,
                    -1,
                    2);
        }
        if (codec.hasLegacyPacketType()) {
            if (end - ri < 5) {
                throw new RtmpCodecException("legacy " + codec + " video header truncated: " + (end - ri)
                        + " of 5 bytes (FrameType|CodecID, AVCPacketType, CompositionTime SI24)");
            }
            return new VideoTagHeader(
                    false,
                    frameType,
                    codec,
                    codecId,
                    0,
                    payload.getUnsignedByte(ri + 1),
                    OptionalInt.of(payload.getMedium(ri + 2)),
                    -1,
                    false,
                    -1,
                    5);
        }
        return new VideoTagHeader(
                false, frameType, codec, codecId, 0, NO_PACKET_TYPE, OptionalInt.empty(), -1, false, -1, 1);
    }

    private static VideoTagHeader parseEnhanced(ByteBuf payload, int ri, int end, int b0) {
        int frameType = (b0 >>> 4) & 0x07;
        long scan = ExHeader.scan(payload, ri, end, PACKET_MULTITRACK, frameType == FRAME_COMMAND);
        if (scan < 0) {
            throw new RtmpCodecException("enhanced video header truncated: payload of " + (end - ri)
                    + " byte(s) ends inside the ModEx records, the command, the multitrack byte or the FOURCC");
        }
        int fourCc = ExHeader.fourCc(payload, scan);
        VideoCodec codec = ExHeader.hasFourCc(scan) ? VideoCodec.ofFourCc(fourCc) : VideoCodec.UNKNOWN;
        int packetType = ExHeader.packetType(scan);
        int headerEnd = ExHeader.end(scan);
        boolean multitrack = ExHeader.isMultitrack(scan);
        int multitrackType = multitrack ? ExHeader.multitrackType(scan) : -1;
        if (ExHeader.isCommand(scan)) {
            return new VideoTagHeader(
                    true,
                    frameType,
                    VideoCodec.UNKNOWN,
                    -1,
                    0,
                    packetType,
                    OptionalInt.empty(),
                    payload.getUnsignedByte(headerEnd - 1),
                    false,
                    -1,
                    headerEnd - ri);
        }
        OptionalInt compositionTime = OptionalInt.empty();
        boolean carriesCompositionTime =
                !multitrack && (fourCc == FourCc.AVC1 || fourCc == FourCc.HVC1 || fourCc == FourCc.VVC1);
        if (carriesCompositionTime && packetType == PACKET_CODED_FRAMES) {
            if (end - headerEnd < 3) {
                throw new RtmpCodecException("enhanced video CodedFrames of " + FourCc.toString(fourCc)
                        + " truncated: the CompositionTime SI24 is missing");
            }
            compositionTime = OptionalInt.of(payload.getMedium(headerEnd));
            headerEnd += 3;
        } else if (carriesCompositionTime && packetType == PACKET_CODED_FRAMES_X) {
            compositionTime = OptionalInt.of(0);
        }
        return new VideoTagHeader(
                true,
                frameType,
                codec,
                -1,
                fourCc,
                packetType,
                compositionTime,
                -1,
                multitrack,
                multitrackType,
                headerEnd - ri);
    }
}
