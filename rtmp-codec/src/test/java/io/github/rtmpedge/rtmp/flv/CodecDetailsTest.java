package io.github.rtmpedge.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CodecDetailsTest {

    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer(b.length);
        for (int v : b) {
            buf.writeByte(v);
        }
        return buf;
    }

    @Test
    void avcProfileAndLevelComeFromTheDecoderConfigurationRecord() {
        // 17 00 000000 | version 1, profile 100 (High), compatibility 0, level 31
        assertEquals(new CodecDetails.Avc("High", "3.1"), CodecDetails.avc(bytes(0x17, 0, 0, 0, 0, 1, 100, 0, 31)));
        assertEquals(new CodecDetails.Avc("Baseline", "3"), CodecDetails.avc(bytes(0x17, 0, 0, 0, 0, 1, 66, 0xC0, 30)));
        assertNull(CodecDetails.avc(bytes(0x17, 1, 0, 0, 0, 1, 100, 0, 31)), "a NALU is no header");
        assertNull(CodecDetails.avc(bytes(0x17, 0, 0)), "too short");
    }

    @Test
    void aacProfileRateAndChannelsComeFromTheAudioSpecificConfig() {
        // AF 00 | 0x12 0x10: object type 2 (LC), rate index 4 (44100), channels 2
        assertEquals(new CodecDetails.Aac("LC", 44100, 2), CodecDetails.aac(bytes(0xAF, 0, 0x12, 0x10)));
        // 0x11 0x90: object type 2, rate index 3 (48000), channels 2
        assertEquals(new CodecDetails.Aac("LC", 48000, 2), CodecDetails.aac(bytes(0xAF, 0, 0x11, 0x90)));
        assertNull(CodecDetails.aac(bytes(0x2F, 0, 0x12, 0x10)), "MP3 has no AudioSpecificConfig");
    }
}
