package io.github.rtmpedge.rtmp.flv;

import static io.github.rtmpedge.rtmp.flv.TestBytes.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class AudioTagsTest {

    private static void assertKinds(ByteBuf p, boolean sequenceHeader, boolean sequenceEnd) {
        int ri = p.readerIndex();
        assertEquals(sequenceHeader, AudioTags.isSequenceHeader(p), "isSequenceHeader");
        assertEquals(sequenceEnd, AudioTags.isSequenceEnd(p), "isSequenceEnd");
        AudioTagHeader h = AudioTags.parse(p);
        assertEquals(sequenceHeader, h.isSequenceHeader(), "record isSequenceHeader");
        assertEquals(sequenceEnd, h.isSequenceEnd(), "record isSequenceEnd");
        assertEquals(ri, p.readerIndex(), "readerIndex untouched");
    }

    @Test
    void aacSequenceHeader() {
        ByteBuf p = payload(
                "af", // SoundFormat 10 AAC | SoundRate 3 (44 kHz) | SoundSize 1 (16-bit) | SoundType 1 (stereo)
                "00", // AACPacketType 0: AudioSpecificConfig
                "12 10"); // AudioSpecificConfig: AAC LC, 44.1 kHz, stereo
        assertKinds(p, true, false);
        assertEquals(AudioCodec.AAC, AudioTags.audioCodec(p));
        assertEquals(new AudioTagHeader(false, AudioCodec.AAC, 10, 0, 3, 1, 1, 0, false, -1, 2), AudioTags.parse(p));
    }

    @Test
    void aacRawFrame() {
        ByteBuf p = payload("af", "01", "21 10 04 60 8c"); // AAC, AACPacketType 1 raw, frame
        assertKinds(p, false, false);
        assertEquals(AudioTags.AAC_RAW, AudioTags.parse(p).packetType());
    }

    @Test
    void mp3HasNoPacketType() {
        ByteBuf p = payload("2e", "ff fb 90 64"); // SoundFormat 2 MP3 | 44 kHz | 16-bit | mono, MPEG frame header
        assertKinds(p, false, false);
        assertEquals(AudioCodec.MP3, AudioTags.audioCodec(p));
        assertEquals(new AudioTagHeader(false, AudioCodec.MP3, 2, 0, 3, 1, 0, -1, false, -1, 1), AudioTags.parse(p));
    }

    @Test
    void speex() {
        ByteBuf p = payload("b2", "1e 00"); // SoundFormat 11 Speex | 5.5 kHz | 16-bit | mono
        assertKinds(p, false, false);
        assertEquals(AudioCodec.SPEEX, AudioTags.audioCodec(p));
    }

    @Test
    void enhancedOpusSequenceStartAndCodedFrames() {
        ByteBuf seq = payload(
                "90", // SoundFormat 9 ExHeader | AudioPacketType 0 SequenceStart
                "'Opus", // FOURCC
                "'OpusHead");
        ByteBuf coded = payload("91", "'Opus", "fc ff fe"); // ExHeader | CodedFrames
        assertKinds(seq, true, false);
        assertKinds(coded, false, false);
        assertEquals(AudioCodec.OPUS, AudioTags.audioCodec(seq));
        assertEquals(
                new AudioTagHeader(true, AudioCodec.OPUS, 9, FourCc.OPUS, -1, -1, -1, 0, false, -1, 5),
                AudioTags.parse(seq));
        assertTrue(AudioTags.isEnhanced(coded));
    }

    @Test
    void enhancedFlacSequenceStart() {
        ByteBuf p = payload("90", "'fLaC", "00 00 00 22"); // SequenceStart, FLAC metadata block header
        assertKinds(p, true, false);
        assertEquals(AudioCodec.FLAC, AudioTags.audioCodec(p));
    }

    @Test
    void enhancedAc3CodedFrames() {
        ByteBuf p = payload("91", "'ac-3", "0b 77"); // CodedFrames, AC-3 syncword
        assertKinds(p, false, false);
        assertEquals(AudioCodec.AC3, AudioTags.audioCodec(p));
    }

    @Test
    void enhancedEac3CodedFrames() {
        ByteBuf p = payload("91", "'ec-3", "0b 77"); // CodedFrames, E-AC-3 syncword
        assertKinds(p, false, false);
        assertEquals(AudioCodec.EAC3, AudioTags.audioCodec(p));
    }

    @Test
    void enhancedMp4aAndDotMp3() {
        ByteBuf aac = payload("90", "'mp4a", "12 10"); // SequenceStart, AudioSpecificConfig
        ByteBuf mp3 = payload("91", "'.mp3", "ff fb"); // CodedFrames
        assertKinds(aac, true, false);
        assertKinds(mp3, false, false);
        assertEquals(AudioCodec.AAC, AudioTags.audioCodec(aac));
        assertEquals(AudioCodec.MP3, AudioTags.audioCodec(mp3));
    }

    @Test
    void enhancedSequenceEnd() {
        ByteBuf p = payload("92", "'Opus"); // ExHeader | SequenceEnd
        assertKinds(p, false, true);
    }

    @Test
    void multichannelConfigIsNotASequenceHeader() {
        ByteBuf p = payload("94", "'Opus", "00 06"); // ExHeader | MultichannelConfig, order Unspecified, 6 channels
        assertKinds(p, false, false);
        assertEquals(AudioTags.PACKET_MULTICHANNEL_CONFIG, AudioTags.parse(p).packetType());
    }

    @Test
    void multitrackSequenceStart() {
        ByteBuf p = payload(
                "95", // ExHeader | Multitrack
                "10", // AvMultitrackType 1 ManyTracks | SequenceStart
                "'Opus", // shared FOURCC
                "00",
                "00 00 02",
                "01 02"); // trackId, size, data
        assertKinds(p, true, false);
        assertTrue(AudioTags.isMultitrack(p));
        assertEquals(AudioCodec.OPUS, AudioTags.audioCodec(p));
        assertEquals(1, AudioTags.parse(p).multitrackType());
    }

    @Test
    void modExThenCodedFrames() {
        ByteBuf p = payload(
                "97", // ExHeader | ModEx
                "02", // size - 1
                "00 03 e8", // TimestampOffsetNano 1000
                "01", // ModExType 0 | CodedFrames
                "'fLaC",
                "ff f8");
        assertKinds(p, false, false);
        assertEquals(AudioCodec.FLAC, AudioTags.audioCodec(p));
        assertEquals(1 + 1 + 3 + 1 + 4, AudioTags.parse(p).bodyOffset());
    }

    @Test
    void unknownFourCcIsUnknown() {
        ByteBuf p = payload("91", "'abcd", "00");
        assertEquals(AudioCodec.UNKNOWN, AudioTags.audioCodec(p));
        assertEquals(FourCc.of("abcd"), AudioTags.parse(p).fourCc());
    }

    @Test
    void reservedSoundFormat13IsUnknown() {
        ByteBuf p = payload("d2", "00"); // SoundFormat 13 (reserved; Opus only in some players)
        assertEquals(AudioCodec.UNKNOWN, AudioTags.audioCodec(p));
        assertFalse(AudioTags.isSequenceHeader(p));
    }

    @Test
    void emptyPayloadIsSilenceNothingOnHotPathAndParseFails() {
        ByteBuf p = payload();
        assertFalse(AudioTags.isSequenceHeader(p));
        assertFalse(AudioTags.isSequenceEnd(p));
        assertFalse(AudioTags.isEnhanced(p));
        assertFalse(AudioTags.isMultitrack(p));
        assertEquals(-1, AudioTags.soundFormat(p));
        assertEquals(AudioCodec.UNKNOWN, AudioTags.audioCodec(p));
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> AudioTags.parse(p));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aacWithoutPacketType() {
        ByteBuf p = payload("af"); // AAC, AACPacketType missing
        assertFalse(AudioTags.isSequenceHeader(p));
        assertEquals(AudioCodec.AAC, AudioTags.audioCodec(p));
        assertThrows(RtmpCodecException.class, () -> AudioTags.parse(p));
    }

    @Test
    void enhancedWithTruncatedFourCc() {
        ByteBuf p = payload("90", "'Op"); // SequenceStart, FOURCC cut short
        assertFalse(AudioTags.isSequenceHeader(p));
        assertEquals(AudioCodec.UNKNOWN, AudioTags.audioCodec(p));
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> AudioTags.parse(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
