package io.github.rtmpedge.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.testkit.Binaries;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvReaderWriterTest {

    private static ByteBuf sampleFile() {
        ByteBuf file = Unpooled.buffer();
        FlvWriter.writeHeader(file, true, true);
        FlvWriter.writeTag(file, FlvTag.SCRIPT_DATA, 0, Unpooled.wrappedBuffer(new byte[] {2, 0, 0}));
        FlvWriter.writeTag(file, FlvTag.VIDEO, 0x01000005L, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0}));
        FlvWriter.writeTag(file, FlvTag.AUDIO, 0xFFFFFFFFL, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1}));
        return file;
    }

    @Test
    void writerProducesTheSpecLayout() {
        ByteBuf file = Unpooled.buffer();
        try {
            FlvWriter.writeHeader(file, true, true);
            FlvWriter.writeTag(file, FlvTag.AUDIO, 0x01020304L, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 0}));
            assertEquals(
                    "464c56" + "01" + "05" + "00000009" // "FLV", version 1, audio|video, DataOffset 9
                            + "00000000" // PreviousTagSize0
                            + "08" + "000002" + "020304" + "01"
                            + "000000" // audio, size 2, ts low 24 bits, extended 01, stream 0
                            + "af00" // data
                            + "0000000d", // PreviousTagSize 11 + 2
                    ByteBufUtil.hexDump(file));
        } finally {
            file.release();
        }
    }

    @Test
    void roundTripThroughABuffer() throws IOException {
        ByteBuf file = sampleFile();
        List<FlvTag> tags = new ArrayList<>();
        try {
            FlvReader reader = FlvReader.of(file);
            assertEquals(new FlvHeader(1, true, true), reader.header());
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                tags.add(tag);
            }
            assertEquals(List.of(18, 9, 8), tags.stream().map(FlvTag::type).toList());
            assertEquals(
                    List.of(0L, 0x01000005L, 0xFFFFFFFFL),
                    tags.stream().map(FlvTag::timestamp).toList());
            assertEquals("1701000000", ByteBufUtil.hexDump(tags.get(1).data()));
            assertEquals(0, file.readerIndex(), "source indexes untouched");
        } finally {
            tags.forEach(FlvTag::release);
            file.release();
        }
    }

    @Test
    void roundTripThroughAStreamIntoPooledBuffers() throws IOException {
        ByteBuf file = sampleFile();
        List<FlvTag> tags = new ArrayList<>();
        try (FlvReader reader =
                FlvReader.of(new ByteArrayInputStream(ByteBufUtil.getBytes(file)), PooledByteBufAllocator.DEFAULT)) {
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                tags.add(tag);
            }
            ByteBuf rewritten = Unpooled.buffer();
            try {
                FlvWriter.writeHeader(rewritten, true, true);
                tags.forEach(t -> FlvWriter.writeTag(rewritten, t));
                assertEquals(ByteBufUtil.hexDump(file), ByteBufUtil.hexDump(rewritten));
            } finally {
                rewritten.release();
            }
        } finally {
            tags.forEach(FlvTag::release);
            file.release();
        }
    }

    @Test
    void largerDataOffsetIsSkipped() throws IOException {
        ByteBuf file = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "464c5601" + "01" + "0000000c" + "aabbcc" // DataOffset 12: three extra header bytes
                        + "00000000"
                        + "09" + "000001" + "000007" + "00" + "000000" + "27" + "0000000c"));
        FlvReader reader = FlvReader.of(file);
        FlvTag tag = reader.next();
        try {
            assertEquals(new FlvHeader(1, false, true), reader.header());
            assertEquals(7, tag.timestamp());
            assertNull(reader.next());
        } finally {
            tag.release();
        }
    }

    @Test
    void rejectsABadSignature() {
        ByteBuf file = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("464c5801050000000900000000"));
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> FlvReader.of(file));
        assertTrue(e.getMessage().contains("not an FLV file"), e.getMessage());
    }

    @Test
    void rejectsTruncatedTagDataWithoutLeaking() throws IOException {
        byte[] bytes = ByteBufUtil.decodeHexDump("464c56010500000009" + "00000000" + "09" + "000005" + "000000" + "00"
                + "000000" + "1701"); // 5 bytes announced, 2 present
        FlvReader fromBuffer = FlvReader.of(Unpooled.wrappedBuffer(bytes));
        assertThrows(RtmpCodecException.class, fromBuffer::next);
        FlvReader fromStream = FlvReader.of(new ByteArrayInputStream(bytes), PooledByteBufAllocator.DEFAULT);
        RtmpCodecException e = assertThrows(RtmpCodecException.class, fromStream::next);
        assertTrue(e.getMessage().contains("data size 5"), e.getMessage());
    }

    @Test
    void rejectsAWrongPreviousTagSizeWithoutLeaking() throws IOException {
        byte[] bytes = ByteBufUtil.decodeHexDump(
                "464c56010500000009" + "00000000" + "09" + "000001" + "000000" + "00" + "000000" + "17" + "00000063");
        FlvReader reader = FlvReader.of(new ByteArrayInputStream(bytes), PooledByteBufAllocator.DEFAULT);
        RtmpCodecException e = assertThrows(RtmpCodecException.class, reader::next);
        assertTrue(e.getMessage().contains("PreviousTagSize 99"), e.getMessage());
    }

    @Test
    void ffmpegFileHasSequenceHeadersFirstAndAKeyframeEveryTenFrames(@TempDir Path dir) throws Exception {
        Path flv = dir.resolve("out.flv");
        ProcessBuilder pb = new ProcessBuilder(
                        Binaries.require("ffmpeg", "ffmpeg").toString(),
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-y",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=size=64x64:rate=10",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine",
                        "-t",
                        "1",
                        "-c:v",
                        "libx264",
                        "-g",
                        "10",
                        "-c:a",
                        "aac",
                        "-f",
                        "flv",
                        flv.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg.log").toFile());
        Process ffmpeg = pb.start();
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
        assertEquals(
                0,
                ffmpeg.exitValue(),
                () -> readQuietly(dir.resolve("ffmpeg.log").toFile()));

        List<Boolean> videoKeyframes = new ArrayList<>();
        int videoSequenceHeaders = 0;
        int audioSequenceHeaders = 0;
        Boolean firstVideoIsSequenceHeader = null;
        Boolean firstAudioIsSequenceHeader = null;
        try (InputStream in = Files.newInputStream(flv);
                FlvReader reader = FlvReader.of(in, PooledByteBufAllocator.DEFAULT)) {
            assertEquals(new FlvHeader(1, true, true), reader.header());
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf data = tag.data();
                    if (tag.type() == FlvTag.VIDEO) {
                        boolean seq = VideoTags.isSequenceHeader(data);
                        if (firstVideoIsSequenceHeader == null) {
                            firstVideoIsSequenceHeader = seq;
                        }
                        assertEquals(VideoCodec.AVC, VideoTags.videoCodec(data));
                        if (seq) {
                            videoSequenceHeaders++;
                        } else if (!VideoTags.isSequenceEnd(data)) {
                            videoKeyframes.add(VideoTags.isKeyframe(data));
                        }
                    } else if (tag.type() == FlvTag.AUDIO) {
                        boolean seq = AudioTags.isSequenceHeader(data);
                        if (firstAudioIsSequenceHeader == null) {
                            firstAudioIsSequenceHeader = seq;
                        }
                        assertEquals(AudioCodec.AAC, AudioTags.audioCodec(data));
                        audioSequenceHeaders += seq ? 1 : 0;
                    }
                } finally {
                    tag.release();
                }
            }
        }
        assertEquals(true, firstVideoIsSequenceHeader, "first video tag is the AVC sequence header");
        assertEquals(true, firstAudioIsSequenceHeader, "first audio tag is the AAC sequence header");
        assertEquals(1, videoSequenceHeaders);
        assertEquals(1, audioSequenceHeaders);
        assertEquals(10, videoKeyframes.size(), "1 s at 10 fps");
        for (int i = 0; i < videoKeyframes.size(); i++) {
            assertEquals(i % 10 == 0, videoKeyframes.get(i), "frame " + i + " keyframe");
        }
    }

    private static String readQuietly(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (IOException e) {
            return "(no ffmpeg log: " + e + ")";
        }
    }
}
