package io.github.rtmpedge.rtmp.flv;

import static io.github.rtmpedge.rtmp.flv.TestBytes.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.netty.buffer.ByteBuf;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class VideoTagsTest {

    /** Asserts the hot-path answers and that the parsed record agrees with them. */
    private static void assertKinds(ByteBuf p, boolean keyframe, boolean sequenceHeader, boolean sequenceEnd) {
        int ri = p.readerIndex();
        int wi = p.writerIndex();
        assertEquals(keyframe, VideoTags.isKeyframe(p), "isKeyframe");
        assertEquals(sequenceHeader, VideoTags.isSequenceHeader(p), "isSequenceHeader");
        assertEquals(sequenceEnd, VideoTags.isSequenceEnd(p), "isSequenceEnd");
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(keyframe, h.isKeyframe(), "record isKeyframe");
        assertEquals(sequenceHeader, h.isSequenceHeader(), "record isSequenceHeader");
        assertEquals(sequenceEnd, h.isSequenceEnd(), "record isSequenceEnd");
        assertEquals(ri, p.readerIndex(), "readerIndex untouched");
        assertEquals(wi, p.writerIndex(), "writerIndex untouched");
    }

    // ---- legacy ----

    @Test
    void avcSequenceHeader() {
        ByteBuf p = payload(
                "17", // FrameType 1 (key) | CodecID 7 (AVC)
                "00", // AVCPacketType 0: sequence header
                "00 00 00", // CompositionTime 0
                "01 64 00 1f"); // AVCDecoderConfigurationRecord begins
        assertKinds(p, false, true, false);
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(new VideoTagHeader(false, 1, VideoCodec.AVC, 7, 0, 0, OptionalInt.of(0), -1, false, -1, 5), h);
        assertEquals(VideoCodec.AVC, VideoTags.videoCodec(p));
        assertEquals(VideoTags.FRAME_KEY, VideoTags.frameType(p));
        assertFalse(VideoTags.isEnhanced(p));
    }

    @Test
    void avcKeyframeNalu() {
        ByteBuf p = payload(
                "17", // key | AVC
                "01", // AVCPacketType 1: NALU
                "00 00 42", // CompositionTime 66
                "00 00 00 05 65"); // NALU length + IDR slice
        assertKinds(p, true, false, false);
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(OptionalInt.of(66), h.compositionTime());
        assertEquals(VideoTags.AVC_NALU, h.packetType());
        assertEquals(5, h.bodyOffset());
    }

    @Test
    void avcInterFrameWithNegativeCompositionTime() {
        ByteBuf p = payload(
                "27", // FrameType 2 (inter) | AVC
                "01", // NALU
                "ff ff f6", // CompositionTime -10 (SI24)
                "00 00 00 02 41 9a");
        assertKinds(p, false, false, false);
        assertEquals(VideoTags.FRAME_INTER, VideoTags.frameType(p));
        assertEquals(OptionalInt.of(-10), VideoTags.parse(p).compositionTime());
    }

    @Test
    void compositionTimeOfLegacyEnhancedAndMalformedBodies() {
        assertEquals(66, VideoTags.compositionTime(payload("17", "01", "00 00 42", "00 00 00 05 65")));
        assertEquals(-10, VideoTags.compositionTime(payload("27", "01", "ff ff f6", "00 00 00 02 41 9a")));
        assertEquals(33, VideoTags.compositionTime(payload("91", "'hvc1", "00 00 21", "00 00 00 03 26 01 af")));
        assertEquals(0, VideoTags.compositionTime(payload("91", "'av01", "12 00 0a 0b")), "AV1 carries none");
        assertEquals(0, VideoTags.compositionTime(payload("17", "01")), "truncated: none rather than an error");
        assertEquals(0, VideoTags.compositionTime(payload("")), "empty");
    }

    @Test
    void avcEndOfSequence() {
        ByteBuf p = payload("17", "02", "00 00 00"); // key | AVC, AVCPacketType 2, CompositionTime 0
        assertKinds(p, false, false, true);
    }

    @Test
    void legacyHevcCodecId12SequenceHeader() {
        ByteBuf p = payload("1c", "00", "00 00 00", "01 01 60"); // key | CodecID 12, seq header, CT 0, hvcC
        assertKinds(p, false, true, false);
        assertEquals(VideoCodec.HEVC, VideoTags.videoCodec(p));
        assertEquals(12, VideoTags.parse(p).codecId());
    }

    @Test
    void legacyHevcCodecId12Keyframe() {
        ByteBuf p = payload("1c", "01", "00 00 28", "00 00 00 03 26 01 af"); // key | HEVC, NALU, CT 40
        assertKinds(p, true, false, false);
        assertEquals(OptionalInt.of(40), VideoTags.parse(p).compositionTime());
    }

    @Test
    void legacyHevcCodecId12InterFrame() {
        ByteBuf p = payload("2c", "01", "00 00 00", "00 00 00 03 02 01 d0"); // inter | HEVC, NALU
        assertKinds(p, false, false, false);
        assertEquals(VideoCodec.HEVC, VideoTags.videoCodec(p));
    }

    @Test
    void legacyAv1CodecId13FromForksUsesAvcLayout() {
        ByteBuf p = payload("1d", "01", "00 00 00", "12 00 0a"); // key | CodecID 13, NALU, CT 0, OBUs
        assertKinds(p, true, false, false);
        assertEquals(VideoCodec.AV1, VideoTags.videoCodec(p));
    }

    @Test
    void sorensonH263FramesHaveNoPacketType() {
        ByteBuf key = payload("12", "00 00 84"); // key | CodecID 2
        ByteBuf inter = payload("22", "00 00 84"); // inter | CodecID 2
        ByteBuf disposable = payload("32", "00 00 84"); // disposable inter | CodecID 2
        assertKinds(key, true, false, false);
        assertKinds(inter, false, false, false);
        assertKinds(disposable, false, false, false);
        assertEquals(VideoCodec.SORENSON_H263, VideoTags.videoCodec(key));
        assertEquals(
                new VideoTagHeader(false, 3, VideoCodec.SORENSON_H263, 2, 0, -1, OptionalInt.empty(), -1, false, -1, 1),
                VideoTags.parse(disposable));
    }

    @Test
    void generatedKeyframeCountsAsKeyframe() {
        ByteBuf p = payload("47", "01", "00 00 00", "00 00 00 01 65"); // FrameType 4 | AVC, NALU
        assertKinds(p, true, false, false);
        assertEquals(VideoTags.FRAME_GENERATED_KEY, VideoTags.frameType(p));
    }

    @Test
    void legacyCommandFrameIsNeitherKeyframeNorSequenceHeader() {
        ByteBuf p = payload("57", "00"); // FrameType 5 (command) | AVC, command 0 = start of seek
        assertKinds(p, false, false, false);
        assertTrue(VideoTags.isCommandFrame(p));
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(new VideoTagHeader(false, 5, VideoCodec.AVC, 7, 0, -1, OptionalInt.empty(), 0, false, -1, 2), h);
        assertTrue(h.isCommandFrame());
    }

    @Test
    void reservedLegacyCodecIdIsUnknownButKept() {
        ByteBuf p = payload("1f", "00 01"); // key | CodecID 15 (reserved)
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        assertEquals(15, VideoTags.parse(p).codecId());
    }

    // ---- enhanced ----

    @Test
    void enhancedHvc1SequenceStart() {
        ByteBuf p = payload(
                "90", // IsExHeader | FrameType 1 (key) | PacketType 0 SequenceStart
                "'hvc1", // FOURCC
                "01 01 60 00"); // HEVCDecoderConfigurationRecord
        assertKinds(p, false, true, false);
        assertTrue(VideoTags.isEnhanced(p));
        assertEquals(VideoCodec.HEVC, VideoTags.videoCodec(p));
        assertEquals(
                new VideoTagHeader(true, 1, VideoCodec.HEVC, -1, FourCc.HVC1, 0, OptionalInt.empty(), -1, false, -1, 5),
                VideoTags.parse(p));
    }

    @Test
    void enhancedHvc1CodedFramesKeyframeCarriesCompositionTime() {
        ByteBuf p = payload(
                "91", // ExHeader | key | CodedFrames
                "'hvc1",
                "00 00 21", // CompositionTime 33
                "00 00 00 03 26 01 af");
        assertKinds(p, true, false, false);
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(OptionalInt.of(33), h.compositionTime());
        assertEquals(8, h.bodyOffset());
    }

    @Test
    void enhancedHvc1CodedFramesXKeyframeImpliesZeroCompositionTime() {
        ByteBuf p = payload("93", "'hvc1", "00 00 00 03 26 01 af"); // ExHeader | key | CodedFramesX
        assertKinds(p, true, false, false);
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(OptionalInt.of(0), h.compositionTime());
        assertEquals(5, h.bodyOffset());
    }

    @Test
    void enhancedHvc1InterFrame() {
        ByteBuf p = payload("a1", "'hvc1", "ff ff ff", "00 00 00 03 02 01 d0"); // inter | CodedFrames, CT -1
        assertKinds(p, false, false, false);
        assertEquals(VideoTags.FRAME_INTER, VideoTags.frameType(p));
        assertEquals(OptionalInt.of(-1), VideoTags.parse(p).compositionTime());
    }

    @Test
    void enhancedHvc1SequenceEnd() {
        ByteBuf p = payload("82", "'hvc1"); // ExHeader | FrameType 0 | SequenceEnd
        assertKinds(p, false, false, true);
    }

    @Test
    void enhancedAv1SequenceStart() {
        ByteBuf p = payload("90", "'av01", "81 00 0c 00"); // key | SequenceStart, AV1CodecConfigurationRecord
        assertKinds(p, false, true, false);
        assertEquals(VideoCodec.AV1, VideoTags.videoCodec(p));
    }

    @Test
    void enhancedAv1CodedFramesHasNoCompositionTime() {
        ByteBuf p = payload("91", "'av01", "12 00 0a 0b"); // key | CodedFrames, OBUs right after FOURCC
        assertKinds(p, true, false, false);
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(OptionalInt.empty(), h.compositionTime());
        assertEquals(5, h.bodyOffset());
    }

    @Test
    void enhancedAv1InterFrame() {
        ByteBuf p = payload("a1", "'av01", "12 00 32"); // inter | CodedFrames
        assertKinds(p, false, false, false);
    }

    @Test
    void enhancedVp9SequenceStartKeyframeAndInter() {
        ByteBuf seq = payload("90", "'vp09", "01 00 00 00"); // key | SequenceStart, VPCodecConfigurationRecord
        ByteBuf key = payload("91", "'vp09", "82 49 83"); // key | CodedFrames
        ByteBuf keyX = payload("93", "'vp09", "82 49 83"); // key | CodedFramesX
        ByteBuf inter = payload("a1", "'vp09", "86 00 40"); // inter | CodedFrames
        assertKinds(seq, false, true, false);
        assertKinds(key, true, false, false);
        assertKinds(keyX, true, false, false);
        assertKinds(inter, false, false, false);
        assertEquals(VideoCodec.VP9, VideoTags.videoCodec(inter));
    }

    @Test
    void enhancedCommandFrameHasNoFourCcAndIsNeitherKeyframeNorSequenceHeader() {
        ByteBuf p = payload(
                "d0", // ExHeader | FrameType 5 (command) | PacketType 0
                "01"); // VideoCommand 1: end of seek
        assertKinds(p, false, false, false);
        assertTrue(VideoTags.isCommandFrame(p));
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(1, h.command());
        assertEquals(0, h.fourCc());
    }

    @Test
    void enhancedMetadataIgnoresCommandFrameType() {
        ByteBuf p = payload("d4", "'hvc1", "02 00 09"); // ExHeader | FrameType 5 | Metadata, FOURCC, AMF string
        assertKinds(p, false, false, false);
        assertFalse(VideoTags.isCommandFrame(p));
        assertEquals(VideoTags.PACKET_METADATA, VideoTags.parse(p).packetType());
        assertEquals(VideoCodec.HEVC, VideoTags.videoCodec(p));
    }

    @Test
    void unknownFourCcIsReportedUnknownButPassedThrough() {
        ByteBuf p = payload("91", "'xyz9", "00 01"); // key | CodedFrames, FOURCC nobody knows
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        assertTrue(VideoTags.isKeyframe(p));
        assertEquals(FourCc.of("xyz9"), VideoTags.parse(p).fourCc());
    }

    @Test
    void modExRecordsAreLookedThrough() {
        ByteBuf p = payload(
                "97", // ExHeader | key | ModEx
                "02", // modExDataSize - 1 = 2
                "00 01 02", // TimestampOffsetNano data (3 bytes)
                "01", // ModExType 0 | PacketType 1 CodedFrames
                "'hvc1",
                "00 00 00", // CompositionTime 0
                "00 00 00 01 26");
        assertKinds(p, true, false, false);
        assertEquals(VideoCodec.HEVC, VideoTags.videoCodec(p));
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(VideoTags.PACKET_CODED_FRAMES, h.packetType());
        assertEquals(13, h.bodyOffset());
    }

    @Test
    void modExSixteenBitSizeEscape() {
        ByteBuf modEx = io.netty.buffer.Unpooled.wrappedBuffer(new byte[300]);
        ByteBuf p = io.netty.buffer.Unpooled.wrappedBuffer(
                payload("97", "ff", "01 2b"), // ModEx, size escape 255 -> UI16 299 -> 300 bytes
                modEx,
                payload("00", "'av01")); // ModExType 0 | SequenceStart, FOURCC
        try {
            assertKinds(p, false, true, false);
            assertEquals(VideoCodec.AV1, VideoTags.videoCodec(p));
        } finally {
            p.release();
        }
    }

    @Test
    void truncatedModExIsNothingOnHotPathAndAnErrorWhenParsed() {
        ByteBuf p = payload("97", "05", "00 01"); // ModEx announcing 6 bytes, only 2 present
        assertFalse(VideoTags.isKeyframe(p));
        assertFalse(VideoTags.isSequenceHeader(p));
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        assertThrows(RtmpCodecException.class, () -> VideoTags.parse(p));
    }

    @Test
    void multitrackOneTrackKeyframe() {
        ByteBuf p = payload(
                "96", // ExHeader | key | Multitrack
                "01", // AvMultitrackType 0 OneTrack | PacketType 1 CodedFrames
                "'av01", // shared FOURCC
                "00", // trackId 0
                "12 00");
        assertKinds(p, true, false, false);
        assertTrue(VideoTags.isMultitrack(p));
        assertEquals(VideoCodec.AV1, VideoTags.videoCodec(p));
        VideoTagHeader h = VideoTags.parse(p);
        assertEquals(0, h.multitrackType());
        assertEquals(6, h.bodyOffset());
    }

    @Test
    void multitrackManyCodecsSequenceStartHasNoSharedFourCc() {
        ByteBuf p = payload(
                "96", // ExHeader | key | Multitrack
                "20", // AvMultitrackType 2 ManyTracksManyCodecs | SequenceStart
                "'hvc1",
                "00",
                "00 00 04",
                "01 02 03 04"); // per track: FOURCC, trackId, size, data
        assertKinds(p, false, true, false);
        assertTrue(VideoTags.isMultitrack(p));
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        assertEquals(2, VideoTags.parse(p).multitrackType());
    }

    @Test
    void emptyPayloadIsNothingAndParseFails() {
        ByteBuf p = payload();
        assertFalse(VideoTags.isKeyframe(p));
        assertFalse(VideoTags.isSequenceHeader(p));
        assertFalse(VideoTags.isSequenceEnd(p));
        assertFalse(VideoTags.isCommandFrame(p));
        assertFalse(VideoTags.isMultitrack(p));
        assertFalse(VideoTags.isEnhanced(p));
        assertEquals(-1, VideoTags.frameType(p));
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> VideoTags.parse(p));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void truncatedLegacyAvcHeader() {
        ByteBuf p = payload("17", "01"); // key | AVC, NALU, CompositionTime missing
        assertFalse(VideoTags.isKeyframe(p));
        assertFalse(VideoTags.isSequenceHeader(p));
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> VideoTags.parse(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedFourCc() {
        ByteBuf p = payload("90", "'hv"); // key | SequenceStart, FOURCC cut after 2 bytes
        assertFalse(VideoTags.isSequenceHeader(p));
        assertEquals(VideoCodec.UNKNOWN, VideoTags.videoCodec(p));
        assertThrows(RtmpCodecException.class, () -> VideoTags.parse(p));
    }

    @Test
    void codedFramesWithoutCompositionTimeFailsToParse() {
        ByteBuf p = payload("91", "'avc1", "00"); // CodedFrames of avc1 needs SI24 after the FOURCC
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> VideoTags.parse(p));
        assertTrue(e.getMessage().contains("CompositionTime"), e.getMessage());
    }

    @Test
    void enhancedAvc1IsAvc() {
        ByteBuf p = payload("90", "'avc1", "01 64"); // key | SequenceStart avc1
        assertKinds(p, false, true, false);
        assertEquals(VideoCodec.AVC, VideoTags.videoCodec(p));
    }
}
