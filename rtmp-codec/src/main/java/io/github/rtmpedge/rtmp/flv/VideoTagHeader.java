package io.github.rtmpedge.rtmp.flv;

import java.util.OptionalInt;

/**
 * A parsed video message header (see {@link VideoTags} for the layouts). Built on demand by
 * {@link VideoTags#parse}; the hot path uses the {@code VideoTags} predicates instead.
 *
 * @param enhanced        IsExHeader was set (Enhanced RTMP)
 * @param frameType       VideoFrameType ({@link VideoTags#FRAME_KEY} ...); 3 bits when enhanced, 4 when legacy
 * @param codec           the codec; {@link VideoCodec#UNKNOWN} when not recognised or not signalled
 * @param codecId         the legacy CodecID as sent (also when unknown), -1 when enhanced
 * @param fourCc          the FOURCC as sent (also when unknown), 0 when absent (legacy, command frame,
 *                        ManyTracksManyCodecs)
 * @param packetType      legacy AVCPacketType, or the effective E-RTMP VideoPacketType (after ModEx
 *                        and multitrack); -1 when the codec has none or for a legacy command frame
 * @param compositionTime CompositionTime SI24 in milliseconds when the header carries it; 0 for an
 *                        avc1/hvc1/vvc1 CodedFramesX (implied by the spec); empty otherwise (also for
 *                        multitrack, where it is per track)
 * @param command         the VideoCommand byte of a command frame (0 start seek, 1 end seek), else -1
 * @param multitrack      E-RTMP multitrack message
 * @param multitrackType  AvMultitrackType (0 one track, 1 many tracks, 2 many tracks many codecs), or -1
 * @param bodyOffset      bytes from the payload's readerIndex to the codec data (for multitrack: to
 *                        the first track's entry)
 */
public record VideoTagHeader(
        boolean enhanced,
        int frameType,
        VideoCodec codec,
        int codecId,
        int fourCc,
        int packetType,
        OptionalInt compositionTime,
        int command,
        boolean multitrack,
        int multitrackType,
        int bodyOffset) {

    /** A command (video info) frame: no video data. */
    public boolean isCommandFrame() {
        return command >= 0;
    }

    /** Same answer as {@link VideoTags#isKeyframe}. */
    public boolean isKeyframe() {
        if (isCommandFrame() || (frameType != VideoTags.FRAME_KEY && frameType != VideoTags.FRAME_GENERATED_KEY)) {
            return false;
        }
        if (enhanced) {
            return packetType == VideoTags.PACKET_CODED_FRAMES || packetType == VideoTags.PACKET_CODED_FRAMES_X;
        }
        return packetType == -1 || packetType == VideoTags.AVC_NALU;
    }

    /** Same answer as {@link VideoTags#isSequenceHeader}. */
    public boolean isSequenceHeader() {
        return !isCommandFrame() && packetType == VideoTags.PACKET_SEQUENCE_START;
    }

    /** Same answer as {@link VideoTags#isSequenceEnd}. */
    public boolean isSequenceEnd() {
        return !isCommandFrame() && packetType == VideoTags.PACKET_SEQUENCE_END;
    }
}
