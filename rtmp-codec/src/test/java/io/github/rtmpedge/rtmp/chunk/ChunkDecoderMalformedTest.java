package io.github.rtmpedge.rtmp.chunk;

import static io.github.rtmpedge.rtmp.chunk.ChunkCodecTest.bytes;
import static io.github.rtmpedge.rtmp.chunk.ChunkCodecTest.concat;
import static io.github.rtmpedge.rtmp.chunk.ChunkCodecTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** One malformed or hostile input per test: the error names the problem, nothing leaks, the decoder stays failed. */
class ChunkDecoderMalformedTest {

    private static final byte[] VALID_MESSAGE = bytes(0x06, 0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 0x17);

    private static ByteBuf pooled(byte[] b) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(b.length);
        return buf.writeBytes(b);
    }

    /** Feeds {@code wire}, expects {@code type}, then checks the decoder ignores valid input that follows. */
    private static <T extends RtmpCodecException> T assertRejected(ChunkLimits limits, byte[] wire, Class<T> type) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(limits));
        ChunkDecoder decoder = ch.pipeline().get(ChunkDecoder.class);
        T error = assertThrows(type, () -> ch.writeInbound(pooled(wire)));
        for (Object m; (m = ch.readInbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
        assertTrue(decoder.reader().failed());
        assertEquals(0, decoder.reader().partialBytes(), "partial messages released");
        assertFalse(ch.writeInbound(pooled(VALID_MESSAGE)), "sticky: valid input after the error is discarded");
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
        return error;
    }

    private static RtmpCodecException assertRejected(byte[] wire) {
        return assertRejected(ChunkLimits.DEFAULT, wire, RtmpCodecException.class);
    }

    @Test
    void continuationChunkWithNoPriorHeader() {
        RtmpCodecException e = assertRejected(bytes(0xC6, 0x01, 0x02));
        assertEquals(
                "chunk stream 6: format 3 header with no earlier format 0 or 1 header on that chunk stream",
                e.getMessage());
    }

    @Test
    void format2HeaderWithNoPriorHeader() {
        RtmpCodecException e = assertRejected(bytes(0x86, 0, 0, 0x28, 0x17));
        assertEquals(
                "chunk stream 6: format 2 header with no earlier format 0 or 1 header on that chunk stream",
                e.getMessage());
    }

    @Test
    void format1HeaderOnAFreshChunkStreamIsAcceptedAsLibrtmpSendsIt() {
        // librtmp's Acknowledgement: fmt 1 on csid 2, delta 0, length 4, type 3, sequence number 0x00010000
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        ch.writeInbound(pooled(bytes(0x42, 0, 0, 0, 0, 0, 4, 0x03, 0x00, 0x01, 0x00, 0x00)));
        RawMessage m = ch.readInbound();
        try {
            assertEquals(2, m.chunkStreamId());
            assertEquals(0, m.timestamp());
            assertEquals(3, m.typeId());
            assertEquals(0, m.messageStreamId(), "no format 0 header named a stream: 0");
            assertEquals(0x00010000, m.content().getInt(m.content().readerIndex()));
        } finally {
            m.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void newHeaderWhileAMessageIsIncomplete() {
        byte[] wire = concat(
                bytes(0x06, 0, 0, 0, 0, 0, 200, 9, 1, 0, 0, 0), payload(128, 0), bytes(0x46, 0, 0, 1, 0, 0, 1, 9, 0));
        RtmpCodecException e = assertRejected(wire);
        assertEquals(
                "chunk stream 6: format 1 header while a message of 200 bytes is incomplete (128 received)",
                e.getMessage());
    }

    @Test
    void chunkSizeZero() {
        RtmpCodecException e = assertRejected(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals("Set Chunk Size of 0 is invalid (must be 1..2147483647)", e.getMessage());
    }

    @Test
    void chunkSizeWithTopBitSet() {
        RtmpCodecException e = assertRejected(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x80, 0, 0, 0x80));
        assertEquals("Set Chunk Size 0x80000080 has the reserved top bit set (must be 1..2147483647)", e.getMessage());
    }

    @Test
    void setChunkSizeTooShort() {
        RtmpCodecException e = assertRejected(bytes(0x02, 0, 0, 0, 0, 0, 2, 0x01, 0, 0, 0, 0, 0, 1));
        assertEquals("Set Chunk Size message has 2 bytes, needs 4", e.getMessage());
    }

    @Test
    void chunkSizeBelowTheConfiguredMinimumIsALimitError() {
        ChunkLimits limits = new ChunkLimits(1024, 4096, 8, 128);
        RtmpLimitExceededException e = assertRejected(
                limits,
                bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 127),
                RtmpLimitExceededException.class);
        assertEquals("min_chunk_size (Set Chunk Size) not met: 127 < 128", e.getMessage());
        assertEquals(128, e.allowed());
        assertEquals(127, e.actual());
    }

    @Test
    void chunkSizeAtTheConfiguredMinimumIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(new ChunkLimits(1024, 4096, 8, 128)));
        ch.writeInbound(pooled(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 128)));
        assertEquals(128, ch.pipeline().get(ChunkDecoder.class).reader().chunkSize());
        io.netty.util.ReferenceCountUtil.release(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void chunkSizeOneAndMaximumAreAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        ChunkDecoder decoder = ch.pipeline().get(ChunkDecoder.class);
        ch.writeInbound(pooled(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 1)));
        assertEquals(1, decoder.reader().chunkSize());
        // a 3-byte message at chunk size 1: header + 1 byte, then two continuation chunks of 1 byte
        ch.writeInbound(pooled(bytes(0x06, 0, 0, 0, 0, 0, 3, 9, 1, 0, 0, 0, 0xA, 0xC6, 0xB, 0xC6, 0xC)));
        // at chunk size 1 the 4-byte Set Chunk Size itself comes in four chunks
        ch.writeInbound(
                pooled(bytes(0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x7F, 0xC2, 0xFF, 0xC2, 0xFF, 0xC2, 0xFF)));
        assertEquals(0x7FFFFFFF, decoder.reader().chunkSize());
        int messages = 0;
        for (Object m; (m = ch.readInbound()) != null; messages++) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
        assertEquals(3, messages);
        assertFalse(ch.finish());
    }

    @Test
    void messageLongerThanTheLimitIsRejectedBeforeAllocating() {
        ChunkLimits limits = new ChunkLimits(1024, 4096, 8);
        // declares 16 MiB - 1; only the header is sent
        RtmpLimitExceededException e = assertRejected(
                limits, bytes(0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, 9, 1, 0, 0, 0), RtmpLimitExceededException.class);
        assertEquals("max_message_length", e.limit());
        assertEquals(1024, e.allowed());
        assertEquals(0xFFFFFF, e.actual());
        assertEquals("max_message_length exceeded: 16777215 > 1024", e.getMessage());
    }

    @Test
    void manyLargeMessagesInFlightHitThePartialBytesLimit() {
        ChunkLimits limits = new ChunkLimits(1000, 2500, 16);
        byte[] wire = new byte[0];
        for (int csid = 4; csid < 8; csid++) { // 4 × 1000 declared, first chunk of each only
            wire = concat(wire, bytes(csid, 0, 0, 0, 0, 0x03, 0xE8, 9, 1, 0, 0, 0), payload(128, csid));
        }
        RtmpLimitExceededException e = assertRejected(limits, wire, RtmpLimitExceededException.class);
        assertEquals("max_partial_bytes", e.limit());
        assertEquals(3000, e.actual());
    }

    @Test
    void tooManyChunkStreams() {
        ChunkLimits limits = new ChunkLimits(1000, 2000, 3);
        byte[] wire = new byte[0];
        for (int csid = 3; csid < 7; csid++) {
            wire = concat(wire, bytes(csid, 0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 0x17));
        }
        RtmpLimitExceededException e = assertRejected(limits, wire, RtmpLimitExceededException.class);
        assertEquals("max_chunk_streams", e.limit());
        assertEquals(4, e.actual());
    }

    @Test
    void windowAcknowledgementSizeTooShort() {
        RtmpCodecException e = assertRejected(bytes(0x02, 0, 0, 0, 0, 0, 1, 0x05, 0, 0, 0, 0, 7));
        assertEquals("Window Acknowledgement Size message has 1 bytes, needs 4", e.getMessage());
    }

    @Test
    void abruptEndInTheMiddleOfAChunkReleasesThePartialMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder());
        ChunkDecoder decoder = ch.pipeline().get(ChunkDecoder.class);
        ch.writeInbound(pooled(concat(bytes(0x06, 0, 0, 0, 0, 0, 200, 9, 1, 0, 0, 0), payload(100, 0))));
        assertEquals(200, decoder.reader().partialBytes());
        assertNull(ch.readInbound());
        ch.close(); // the pipeline removes the decoder, which releases the 100 bytes it holds
        assertFalse(ch.finish());
    }
}
