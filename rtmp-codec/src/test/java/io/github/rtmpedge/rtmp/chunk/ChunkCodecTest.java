package io.github.rtmpedge.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden byte vectors for the chunk layer (RTMP spec 5.3), decoded and encoded. */
class ChunkCodecTest {

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] p : parts) {
            buf.writeBytes(p);
        }
        return ByteBufUtil.getBytes(buf);
    }

    static RawMessage message(int csid, long ts, int type, int msid, byte[] payload) {
        return new RawMessage(csid, ts, type, msid, Unpooled.copiedBuffer(payload));
    }

    static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed + i * 7);
        }
        return p;
    }

    static byte[] encode(ChunkWriter writer, RawMessage... messages) {
        ByteBuf out = Unpooled.buffer();
        try {
            for (RawMessage m : messages) {
                try {
                    writer.write(m, out);
                } finally {
                    m.release();
                }
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    static List<RawMessage> decodeAll(EmbeddedChannel ch, byte[] wire) {
        ch.writeInbound(Unpooled.copiedBuffer(wire));
        List<RawMessage> out = new ArrayList<>();
        for (RawMessage m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    static void assertMessage(RawMessage m, int csid, long ts, int type, int msid, byte[] payload) {
        try {
            assertEquals(csid, m.chunkStreamId(), "chunk stream id");
            assertEquals(ts, m.timestamp(), "timestamp");
            assertEquals(type, m.typeId(), "type id");
            assertEquals(msid, m.messageStreamId(), "message stream id");
            assertArrayEquals(payload, ByteBufUtil.getBytes(m.content()), "payload");
        } finally {
            m.release();
        }
    }

    @Test
    void format0HeaderGolden() {
        byte[] wire = bytes(
                0x03, // fmt 0, csid 3
                0x00, 0x03, 0xE8, // timestamp 1000
                0x00, 0x00, 0x03, // message length 3
                0x14, // type 20, AMF0 command
                0x01, 0x00, 0x00, 0x00, // message stream id 1, little-endian
                0xAA, 0xBB, 0xCC); // payload
        assertArrayEquals(wire, encode(new ChunkWriter(), message(3, 1000, 20, 1, bytes(0xAA, 0xBB, 0xCC))));

        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(1, got.size());
        assertMessage(got.get(0), 3, 1000, 20, 1, bytes(0xAA, 0xBB, 0xCC));
        assertFalse(ch.finish());
    }

    @Test
    void headersCompressToFormats1Then2Then3() {
        ChunkWriter writer = new ChunkWriter();
        byte[] wire = encode(
                writer,
                message(4, 100, 8, 1, bytes(1, 2)), // first on csid 4: format 0
                message(4, 120, 8, 1, bytes(3, 4, 5)), // new length: format 1
                message(4, 145, 8, 1, bytes(6, 7, 8)), // same length and type, new delta 25: format 2
                message(4, 170, 8, 1, bytes(9, 10, 11))); // same delta 25 again: format 3
        byte[] expected = concat(
                bytes(0x04, 0x00, 0x00, 0x64, 0x00, 0x00, 0x02, 0x08, 0x01, 0x00, 0x00, 0x00, 1, 2),
                bytes(0x44, 0x00, 0x00, 0x14, 0x00, 0x00, 0x03, 0x08, 3, 4, 5), // fmt 1: delta 20, length 3, type 8
                bytes(0x84, 0x00, 0x00, 0x19, 6, 7, 8), // fmt 2: delta 25
                bytes(0xC4, 9, 10, 11)); // fmt 3
        assertArrayEquals(expected, wire);

        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(4, got.size());
        assertMessage(got.get(0), 4, 100, 8, 1, bytes(1, 2));
        assertMessage(got.get(1), 4, 120, 8, 1, bytes(3, 4, 5));
        assertMessage(got.get(2), 4, 145, 8, 1, bytes(6, 7, 8));
        assertMessage(got.get(3), 4, 170, 8, 1, bytes(9, 10, 11));
        assertFalse(ch.finish());
    }

    @Test
    void format3AfterFormat0UsesTheFormat0TimestampAsDelta() {
        // After a format 0 header the repeated "delta" of a new format 3 message is the format 0
        // timestamp field itself, as ffmpeg and SRS read it.
        byte[] wire = concat(
                bytes(0x06, 0x00, 0x00, 0x28, 0x00, 0x00, 0x01, 0x09, 0x01, 0x00, 0x00, 0x00, 0x17), bytes(0xC6, 0x27));
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertMessage(got.get(0), 6, 40, 9, 1, bytes(0x17));
        assertMessage(got.get(1), 6, 80, 9, 1, bytes(0x27));
        assertFalse(ch.finish());
    }

    @Test
    void timestampGoingBackwardsGetsAFormat0Header() {
        ChunkWriter writer = new ChunkWriter();
        byte[] wire = encode(writer, message(6, 500, 9, 1, bytes(1)), message(6, 400, 9, 1, bytes(2)));
        assertArrayEquals(
                concat(
                        bytes(0x06, 0x00, 0x01, 0xF4, 0x00, 0x00, 0x01, 0x09, 0x01, 0x00, 0x00, 0x00, 1),
                        bytes(0x06, 0x00, 0x01, 0x90, 0x00, 0x00, 0x01, 0x09, 0x01, 0x00, 0x00, 0x00, 2)),
                wire);
    }

    @Test
    void changedMessageStreamIdGetsAFormat0Header() {
        byte[] wire = encode(new ChunkWriter(), message(5, 0, 18, 1, bytes(1)), message(5, 0, 18, 2, bytes(1)));
        assertEquals(0x05, wire[13] & 0xFF, "second header is format 0 on csid 5");
    }

    @ParameterizedTest(name = "csid {0}")
    @CsvSource({
        "2,     '02'",
        "63,    '3f'",
        "64,    '0000'", // 2-byte form: 64 + 0
        "319,   '00ff'", // 2-byte form: 64 + 255
        "320,   '010001'", // 3-byte form: 64 + 0 + 1 * 256, low byte first
        "65599, '01ffff'"
    }) // 3-byte form: 64 + 255 + 255 * 256
    void basicHeaderFormsAtChunkStreamIdBoundaries(int csid, String basicHeaderHex) {
        byte[] basic = ByteBufUtil.decodeHexDump(basicHeaderHex);
        byte[] wire = encode(new ChunkWriter(), message(csid, 0, 9, 1, bytes(0x42)));
        byte[] expected = concat(basic, bytes(0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 0x42));
        assertArrayEquals(expected, wire);

        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(1, got.size());
        assertMessage(got.get(0), csid, 0, 9, 1, bytes(0x42));
        assertFalse(ch.finish());
    }

    @Test
    void extendedTimestampIsRepeatedOnFormat3ContinuationChunks() {
        long ts = 0x01020304L; // above 0xFFFFFF: the 3-byte field says 0xFFFFFF, the real value follows
        byte[] p = payload(300, 1); // 128 + 128 + 44 at the default chunk size
        byte[] wire = encode(new ChunkWriter(), message(6, ts, 9, 1, p));
        byte[] ext = bytes(0x01, 0x02, 0x03, 0x04);
        byte[] expected = concat(
                bytes(0x06, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x2C, 0x09, 0x01, 0x00, 0x00, 0x00),
                ext,
                java.util.Arrays.copyOfRange(p, 0, 128),
                bytes(0xC6),
                ext,
                java.util.Arrays.copyOfRange(p, 128, 256),
                bytes(0xC6),
                ext,
                java.util.Arrays.copyOfRange(p, 256, 300));
        assertArrayEquals(expected, wire);

        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(1, got.size());
        assertMessage(got.get(0), 6, ts, 9, 1, p);
        assertFalse(ch.finish());
    }

    @Test
    void extendedTimestampDeltaOnNewFormat3MessageIsRead() {
        ChunkWriter writer = new ChunkWriter();
        long delta = 0x01000000L;
        byte[] wire = encode(
                writer,
                message(6, 0, 9, 1, bytes(1)),
                message(6, delta, 9, 1, bytes(2)), // format 2 with extended delta
                message(6, 2 * delta, 9, 1, bytes(3))); // format 3, extended delta repeated
        assertArrayEquals(
                concat(
                        bytes(0x06, 0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 1),
                        bytes(0x86, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 2),
                        bytes(0xC6, 0x01, 0x00, 0x00, 0x00, 3)),
                wire);
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertMessage(got.get(0), 6, 0, 9, 1, bytes(1));
        assertMessage(got.get(1), 6, delta, 9, 1, bytes(2));
        assertMessage(got.get(2), 6, 2 * delta, 9, 1, bytes(3));
        assertFalse(ch.finish());
    }

    @Test
    void timestampsWrapAt32Bits() {
        ChunkWriter writer = new ChunkWriter();
        byte[] wire = encode(writer, message(4, 0xFFFFFFF0L, 8, 1, bytes(1)), message(4, 0x10, 8, 1, bytes(2)));
        // 0x10 - 0xFFFFFFF0 = 0x20 modulo 2^32: a forward delta, format 1 is fine
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertMessage(got.get(0), 4, 0xFFFFFFF0L, 8, 1, bytes(1));
        assertMessage(got.get(1), 4, 0x10, 8, 1, bytes(2));
        assertEquals(0x84, wire[17] & 0xFF, "format 2 on csid 4");
        assertFalse(ch.finish());
    }

    @Test
    void setChunkSizeInTheMiddleOfTheStreamAppliesToTheNextChunk() {
        byte[] big = payload(300, 9);
        byte[] setChunkSize = bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x00, 0x00, 0x01, 0x00); // 256
        ChunkWriter writer = new ChunkWriter();
        byte[] before = encode(writer, message(6, 0, 9, 1, big));
        byte[] control = encode(writer, new RawMessage(2, 0, 1, 0, Unpooled.wrappedBuffer(bytes(0, 0, 1, 0))));
        byte[] after = encode(writer, message(6, 33, 9, 1, big));
        assertArrayEquals(setChunkSize, control);
        assertEquals(256, writer.chunkSize());
        assertEquals(12 + 300 + 2, before.length, "two continuations at 128");
        assertEquals(4 + 300 + 1, after.length, "format 2 header + one continuation at 256");

        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        ChunkDecoder decoder = ch.pipeline().get(ChunkDecoder.class);
        List<RawMessage> got = decodeAll(ch, concat(before, control, after));
        assertEquals(3, got.size());
        assertMessage(got.get(0), 6, 0, 9, 1, big);
        assertMessage(got.get(1), 2, 0, 1, 0, bytes(0, 0, 1, 0));
        assertMessage(got.get(2), 6, 33, 9, 1, big);
        assertEquals(256, decoder.reader().chunkSize());
        assertFalse(ch.finish());
    }

    @Test
    void interleavedChunkStreamsReassembleIndependently() {
        byte[] video = payload(200, 3);
        byte[] audio = payload(150, 5);
        byte[] wire = concat(
                bytes(0x06, 0, 0, 10, 0, 0, 200, 9, 1, 0, 0, 0), java.util.Arrays.copyOfRange(video, 0, 128),
                bytes(0x04, 0, 0, 11, 0, 0, 150, 8, 1, 0, 0, 0), java.util.Arrays.copyOfRange(audio, 0, 128),
                bytes(0xC6), java.util.Arrays.copyOfRange(video, 128, 200),
                bytes(0xC4), java.util.Arrays.copyOfRange(audio, 128, 150));
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(2, got.size());
        assertMessage(got.get(0), 6, 10, 9, 1, video);
        assertMessage(got.get(1), 4, 11, 8, 1, audio);
        assertFalse(ch.finish());
    }

    @Test
    void inputSplitAtEveryByteOffsetDecodesTheSame() {
        ChunkWriter writer = new ChunkWriter();
        byte[] wire = encode(
                writer,
                message(3, 0, 20, 0, payload(40, 1)),
                message(6, 0x01000000L, 9, 1, payload(300, 2)),
                message(320, 5, 8, 1, payload(129, 3)),
                message(4, 7, 8, 1, new byte[0]),
                message(4, 9, 8, 1, payload(1, 4)));
        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));
            List<RawMessage> got = new ArrayList<>();
            for (RawMessage m; (m = ch.readInbound()) != null; ) {
                got.add(m);
            }
            assertEquals(5, got.size(), "split at " + split);
            assertMessage(got.get(0), 3, 0, 20, 0, payload(40, 1));
            assertMessage(got.get(1), 6, 0x01000000L, 9, 1, payload(300, 2));
            assertMessage(got.get(2), 320, 5, 8, 1, payload(129, 3));
            assertMessage(got.get(3), 4, 7, 8, 1, new byte[0]);
            assertMessage(got.get(4), 4, 9, 8, 1, payload(1, 4));
            assertFalse(ch.finish());
        }
    }

    @Test
    void oneByteAtATimeDecodesTheSame() {
        byte[] wire = encode(new ChunkWriter(), message(6, 0x01000000L, 9, 1, payload(300, 2)));
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        for (byte b : wire) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        RawMessage m = ch.readInbound();
        assertMessage(m, 6, 0x01000000L, 9, 1, payload(300, 2));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void abortDiscardsThePartialMessage() {
        byte[] wire = concat(
                bytes(0x06, 0, 0, 0, 0, 0, 200, 9, 1, 0, 0, 0),
                payload(128, 0), // first of two chunks
                bytes(0x02, 0, 0, 0, 0, 0, 4, 0x02, 0, 0, 0, 0, 0, 0, 0, 6), // Abort csid 6
                bytes(0x06, 0, 0, 5, 0, 0, 1, 9, 1, 0, 0, 0, 0x17)); // a new message on csid 6
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        ChunkDecoder decoder = ch.pipeline().get(ChunkDecoder.class);
        List<RawMessage> got = decodeAll(ch, wire);
        assertEquals(2, got.size());
        assertMessage(got.get(0), 2, 0, 2, 0, bytes(0, 0, 0, 6));
        assertMessage(got.get(1), 6, 5, 9, 1, bytes(0x17));
        assertEquals(0, decoder.reader().partialBytes());
        assertFalse(ch.finish());
    }

    @Test
    void acknowledgementIsDueWhenTheWindowFills() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        byte[] window = bytes(0x02, 0, 0, 0, 0, 0, 4, 0x05, 0, 0, 0, 0, 0, 0, 0x01, 0x00); // 256 bytes
        byte[] media = encode(new ChunkWriter(), message(6, 0, 9, 1, payload(100, 0))); // 112 bytes
        ch.writeInbound(Unpooled.wrappedBuffer(window));
        ch.writeInbound(Unpooled.wrappedBuffer(media));
        assertTrue(events.isEmpty(), "112 of 256");
        ch.writeInbound(Unpooled.wrappedBuffer(media));
        assertTrue(events.isEmpty(), "224 of 256");
        ch.writeInbound(Unpooled.wrappedBuffer(media));
        assertEquals(List.of(new AcknowledgementDue(16 + 3 * 112)), events, "336 bytes received in all");
        for (RawMessage m; (m = ch.readInbound()) != null; ) {
            m.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void selfContainedOutputDependsOnNoEarlierHeader() {
        RawMessage m = message(6, 0x01000000L, 9, 1, payload(300, 2));
        ByteBuf shared = ChunkWriter.encodeSelfContained(Unpooled.buffer().alloc(), m, 128);
        try {
            byte[] expected;
            expected = encode(new ChunkWriter(), m.retain());
            assertArrayEquals(expected, ByteBufUtil.getBytes(shared), "a fresh writer's first message is format 0 too");
            assertTrue(shared.readableBytes() <= ChunkWriter.maxEncodedLength(m, 128));
            // Decoding it after other traffic on the same chunk stream still yields the message.
            EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
            byte[] earlier = encode(new ChunkWriter(), message(6, 3, 9, 1, bytes(1)));
            List<RawMessage> got = decodeAll(ch, concat(earlier, ByteBufUtil.getBytes(shared)));
            assertMessage(got.get(0), 6, 3, 9, 1, bytes(1));
            assertMessage(got.get(1), 6, 0x01000000L, 9, 1, payload(300, 2));
            assertFalse(ch.finish());
        } finally {
            shared.release();
            m.release();
        }
    }

    @Test
    void forgetMakesTheNextHeaderFormat0() {
        ChunkWriter writer = new ChunkWriter();
        encode(writer, message(6, 0, 9, 1, bytes(1)));
        writer.forget(6);
        byte[] wire = encode(writer, message(6, 40, 9, 1, bytes(2)));
        assertEquals(0x06, wire[0] & 0xFF);
        assertEquals(13, wire.length);
    }

    @Test
    void encoderHandlerChunksAndPassesBuffersThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkEncoder());
        ch.writeOutbound(message(3, 1000, 20, 1, bytes(0xAA, 0xBB, 0xCC)));
        ByteBuf preChunked = Unpooled.wrappedBuffer(bytes(0xC6, 0x01));
        ch.writeOutbound(preChunked);
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        try {
            assertArrayEquals(
                    bytes(0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x03, 0x14, 0x01, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC),
                    ByteBufUtil.getBytes(first));
            assertArrayEquals(bytes(0xC6, 0x01), ByteBufUtil.getBytes(second));
        } finally {
            first.release();
            second.release();
        }
        assertFalse(ch.finish());
    }
}
