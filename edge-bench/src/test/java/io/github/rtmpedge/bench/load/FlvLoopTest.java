package io.github.rtmpedge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.FlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publishers' endless stream of tags: order, timestamps across the wrap, setup tags once. */
class FlvLoopTest {

    @TempDir
    Path dir;

    /** script, AVC and AAC sequence headers at 5000, then frames at 5000 .. 5080: a file not starting at 0. */
    private FlvSource source() throws Exception {
        ByteBuf out = Unpooled.buffer();
        try {
            FlvWriter.writeHeader(out, true, true);
            tag(out, FlvTag.SCRIPT_DATA, 5000, 0x02, 0x00);
            tag(out, FlvTag.VIDEO, 5000, 0x17, 0x00, 0, 0, 0); // AVC sequence header
            tag(out, FlvTag.AUDIO, 5000, 0xAF, 0x00, 0x12, 0x10); // AAC sequence header
            tag(out, FlvTag.VIDEO, 5000, 0x17, 0x01, 0, 0, 0, 1); // keyframe
            tag(out, FlvTag.AUDIO, 5020, 0xAF, 0x01, 1);
            tag(out, FlvTag.VIDEO, 5040, 0x27, 0x01, 0, 0, 0, 2);
            tag(out, FlvTag.VIDEO, 5080, 0x27, 0x01, 0, 0, 0, 3);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            Path file = dir.resolve("t.flv");
            Files.write(file, bytes);
            return FlvSource.load(file);
        } finally {
            out.release();
        }
    }

    private static void tag(ByteBuf out, int type, long ts, int... data) {
        ByteBuf d = Unpooled.buffer(data.length);
        for (int b : data) {
            d.writeByte(b);
        }
        try {
            FlvWriter.writeTag(out, type, ts, d);
        } finally {
            d.release();
        }
    }

    /** (index, due) of every tag sent over {@code passes} passes. */
    private static List<long[]> sent(FlvSource source, int passes) {
        FlvLoop loop = new FlvLoop(source);
        List<long[]> sent = new ArrayList<>();
        while (loop.passes() < passes) {
            if (loop.sendsCurrent()) {
                sent.add(new long[] {loop.index(), loop.dueMillis()});
            }
            loop.advance();
        }
        return sent;
    }

    @Test
    void theFirstPassSendsEveryTagFromZero() throws Exception {
        try (FlvSource source = source()) {
            List<long[]> first = sent(source, 1);
            assertEquals(7, first.size());
            long[] dues = first.stream().mapToLong(s -> s[1]).toArray();
            assertEquals(
                    List.of(0L, 0L, 0L, 0L, 20L, 40L, 80L),
                    java.util.Arrays.stream(dues).boxed().toList());
        }
    }

    @Test
    void laterPassesSkipSetupTagsAndGoOnLater() throws Exception {
        try (FlvSource source = source()) {
            // span 80 ms over 6 media tags: one more average interval (16 ms) after the last tag.
            assertEquals(96, source.loopMillis());
            List<long[]> three = sent(source, 3);
            assertEquals(7 + 4 + 4, three.size());
            List<long[]> second = three.subList(7, 11);
            assertEquals(List.of(3L, 4L, 5L, 6L), second.stream().map(s -> s[0]).toList());
            assertEquals(
                    List.of(96L, 116L, 136L, 176L),
                    second.stream().map(s -> s[1]).toList());
            assertEquals(192L, three.get(11)[1]);
            assertTrue(source.isSetup(0) && source.isSetup(1) && source.isSetup(2));
            assertFalse(source.isSetup(3));
        }
    }

    @Test
    void timestampsNeverGoBackAndVideoAlwaysMovesOn() throws Exception {
        try (FlvSource source = source()) {
            long last = -1;
            long lastVideo = -1;
            for (long[] s : sent(source, 50)) {
                assertTrue(s[1] >= last, "timestamp went back to " + s[1] + " after " + last);
                last = s[1];
                int i = (int) s[0];
                if (source.tag(i).type() == FlvTag.VIDEO && !source.isSetup(i)) {
                    assertTrue(s[1] > lastVideo, "video at " + s[1] + " after " + lastVideo);
                    lastVideo = s[1];
                }
            }
            assertEquals(49 * 96 + 80, last);
        }
    }

    @Test
    void aPublisherKeepsRealTimeWhenItsTimelineCoversNinetyFivePercent() {
        assertTrue(new PublishReport("s0", 10, 100, 9_400, 10_000).keptRealTime()); // 9400 + 100 >= 9500
        assertFalse(new PublishReport("s0", 10, 100, 9_300, 10_000).keptRealTime());
        assertFalse(new PublishReport("s0", 0, 0, 0, 0).keptRealTime());
        assertEquals(
                "STREAM name=s3 messages=10 bytes=100 timeline=9.4s wall=10.0s realtime=94.0% kept=yes",
                new PublishReport("s3", 10, 100, 9_400, 10_000).toLine());
    }
}
