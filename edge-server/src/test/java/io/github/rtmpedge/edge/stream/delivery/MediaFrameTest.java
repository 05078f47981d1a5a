package io.github.rtmpedge.edge.stream.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.rtmpedge.edge.stream.FrameEncoder;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.FlvWriter;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaFrameTest {

    private static final int PAYLOAD = 300; // three chunks at 128: 128 + 128 + 44

    private static ByteBuf payload() {
        ByteBuf b = Unpooled.buffer(PAYLOAD);
        for (int i = 0; i < PAYLOAD; i++) {
            b.writeByte(i);
        }
        return b;
    }

    private static MediaFrame videoFrame(long timestamp) {
        ByteBuf p = payload();
        try {
            return new FrameEncoder(ByteBufAllocator.DEFAULT, 128)
                    .encode(MediaFrame.Kind.VIDEO, timestamp, false, false, p);
        } finally {
            p.release();
        }
    }

    private static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }

    @Test
    void firstChunkHeaderIsFormat0WithMessageStream1() {
        MediaFrame f = videoFrame(1000);
        try {
            byte[] header = new byte[12];
            f.chunks().getBytes(f.chunks().readerIndex(), header);
            assertArrayEquals(
                    new byte[] {
                        0x07, // fmt 0, csid 7 (FrameEncoder.VIDEO_CHUNK_STREAM)
                        0x00,
                        0x03,
                        (byte) 0xE8, // timestamp 1000
                        0x00,
                        0x01,
                        0x2C, // message length 300
                        0x09, // type 9, video
                        0x01,
                        0x00,
                        0x00,
                        0x00 // message stream id 1, little-endian
                    },
                    header);
        } finally {
            f.release();
        }
    }

    @Test
    void stream1GetsARetainedDuplicateOfTheSameBytes() {
        MediaFrame f = videoFrame(1000);
        ByteBuf out = f.chunksFor(1, ByteBufAllocator.DEFAULT);
        try {
            assertArrayEquals(bytes(f.chunks()), bytes(out));
            assertEquals(2, f.chunks().refCnt()); // shares the frame's buffer
            assertEquals(1, f.refCnt());
        } finally {
            out.release();
            f.release();
        }
    }

    @Test
    void otherStreamGetsTheSameBytesExceptTheLittleEndianStreamId() {
        MediaFrame f = videoFrame(1000);
        ByteBuf out = f.chunksFor(5, ByteBufAllocator.DEFAULT);
        try {
            byte[] expected = bytes(f.chunks());
            expected[8] = 0x05; // message stream id 5: 05 00 00 00
            assertArrayEquals(expected, bytes(out));
        } finally {
            out.release();
            f.release();
        }
    }

    @Test
    void extendedTimestampFramePatchesTheStreamIdAndKeepsTheExtendedField() {
        MediaFrame f = videoFrame(0x01000000L);
        ByteBuf out = f.chunksFor(5, ByteBufAllocator.DEFAULT);
        try {
            byte[] expected = bytes(f.chunks());
            byte[] header = new byte[16];
            System.arraycopy(expected, 0, header, 0, 16);
            assertArrayEquals(
                    new byte[] {
                        0x07, // fmt 0, csid 7
                        (byte) 0xFF,
                        (byte) 0xFF,
                        (byte) 0xFF, // timestamp field: extended follows
                        0x00,
                        0x01,
                        0x2C, // length 300
                        0x09, // video
                        0x01,
                        0x00,
                        0x00,
                        0x00, // stream id 1
                        0x01,
                        0x00,
                        0x00,
                        0x00 // extended timestamp 0x01000000, big-endian
                    },
                    header);
            expected[8] = 0x05;
            assertArrayEquals(expected, bytes(out));
        } finally {
            out.release();
            f.release();
        }
    }

    @Test
    void patchedChunksDecodeAsTheSameMessageOnStream5() {
        assertDecodesOnStream5(1000);
    }

    @Test
    void patchedExtendedTimestampChunksDecodeAsTheSameMessageOnStream5() {
        assertDecodesOnStream5(0x01000000L);
    }

    private static void assertDecodesOnStream5(long timestamp) {
        MediaFrame f = videoFrame(timestamp);
        EmbeddedChannel peer = new EmbeddedChannel(new ChunkDecoder());
        ByteBuf expectedPayload = payload();
        try {
            peer.writeInbound(f.chunksFor(5, ByteBufAllocator.DEFAULT));
            RawMessage m = peer.readInbound();
            try {
                assertEquals(7, m.chunkStreamId());
                assertEquals(timestamp, m.timestamp());
                assertEquals(MessageType.VIDEO, m.typeId());
                assertEquals(5, m.messageStreamId());
                assertArrayEquals(bytes(expectedPayload), bytes(m.content()));
            } finally {
                m.release();
            }
            assertFalse(peer.finish());
        } finally {
            expectedPayload.release();
            f.release();
        }
    }

    /** The FLV tag form is what an FLV file holds for the payload (FLV spec E.4.1), for 3 chunks and an extended timestamp. */
    @Test
    void theFlvTagIsThePayloadOutOfItsChunks() {
        for (long timestamp : new long[] {1000, 0x01020304L}) {
            MediaFrame f = videoFrame(timestamp);
            ByteBuf expected = Unpooled.buffer();
            ByteBuf p = payload();
            try {
                FlvWriter.writeTag(expected, FlvTag.VIDEO, timestamp, p);
                ByteBuf tag = f.flvTag(ByteBufAllocator.DEFAULT);
                assertArrayEquals(bytes(expected), bytes(tag));
                assertEquals(expected.readableBytes(), f.flvLength());
                assertSame(tag, f.flvTag(ByteBufAllocator.DEFAULT), "built once, shared");
            } finally {
                p.release();
                expected.release();
                f.release();
            }
        }
    }

    @Test
    void theFlvTagGoesWithTheFrameWhateverHeldItsChunksLast() {
        MediaFrame f = videoFrame(1000);
        ByteBuf tag = f.flvTag(ByteBufAllocator.DEFAULT);
        ByteBuf written = tag.retainedDuplicate(); // what an HTTP-FLV player's connection holds
        ByteBuf rtmp = f.chunksFor(1, ByteBufAllocator.DEFAULT); // and an RTMP player's
        f.release();
        assertEquals(List.of(1, 1), List.of(tag.refCnt(), f.chunks().refCnt()));
        written.release();
        rtmp.release();
        assertEquals(List.of(0, 0), List.of(tag.refCnt(), f.chunks().refCnt()));
    }

    @Test
    void aLoopViewWritesTheSameBytesCountsItsPlayersOnItselfAndGivesBackTheGroupsReference() {
        // As the server encodes frames: a pooled buffer, whose retained duplicates count on themselves.
        ByteBuf p = payload();
        MediaFrame origin = new FrameEncoder(PooledByteBufAllocator.DEFAULT, 128)
                .encode(MediaFrame.Kind.VIDEO, 2000, false, false, p);
        p.release();
        origin.retain(); // the loop group's reference, which the view takes over
        MediaFrame view = origin.loopView();
        int rootBefore = origin.chunks().refCnt();

        ByteBuf a = view.retain().chunksFor(MediaFrame.SHARED_MESSAGE_STREAM, ByteBufAllocator.DEFAULT);
        ByteBuf b = view.retain().chunksFor(MediaFrame.SHARED_MESSAGE_STREAM, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(rootBefore, origin.chunks().refCnt(), "players' duplicates count on the view's own");
            assertEquals(2, origin.refCnt(), "players' references count on the view");
            assertArrayEquals(bytes(origin.chunks()), bytes(a));
            assertEquals(origin.wireLength(), view.wireLength());
            assertEquals(origin.timestamp(), view.timestamp());
            ByteBuf tag = view.flvTag(ByteBufAllocator.DEFAULT);
            assertSame(tag, view.flvTag(ByteBufAllocator.DEFAULT), "one duplicate of the tag per view");
            assertArrayEquals(bytes(origin.flvTag(ByteBufAllocator.DEFAULT)), bytes(tag));
        } finally {
            a.release();
            b.release();
            view.release();
            view.release();
        }
        assertEquals(1, view.refCnt(), "the group's reference, the players' gone");
        view.release();
        assertEquals(1, origin.refCnt(), "the view gave the group's reference back");
        origin.release();
        assertEquals(0, origin.chunks().refCnt(), "everything freed");
    }
}
