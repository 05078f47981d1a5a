package io.github.rtmpedge.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.flv.AggregateSplitter.PreviousTagSizeCheck;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateSplitterTest {

    private static final int CSID = 6;
    private static final int MSID = 1;

    /** A tracked (leak-detected) aggregate message whose payload is the given hex. */
    private static RawMessage aggregate(long timestamp, String hex) {
        ByteBuf content = Unpooled.buffer();
        content.writeBytes(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", "")));
        return new RawMessage(CSID, timestamp, MessageType.AGGREGATE, MSID, content);
    }

    private static void releaseAll(List<RawMessage> messages) {
        messages.forEach(RawMessage::release);
    }

    @Test
    void splitsThreeTagsRebasingTimestampsOnTheAggregate() {
        RawMessage agg = aggregate(
                5000,
                // tag 1: video, 3 bytes, ts 1000
                "09" + "000003" + "0003e8" + "00" + "000000" + "170000" + "0000000e"
                        // tag 2: audio, 2 bytes, ts 1040
                        + "08" + "000002" + "000410" + "00" + "000000" + "af01" + "0000000d"
                        // tag 3: script data, 1 byte, ts 1020 (earlier than tag 2: offsets may go backwards)
                        + "12" + "000001" + "0003fc" + "00" + "000000" + "05" + "0000000c");
        List<RawMessage> subs = AggregateSplitter.split(agg);
        try {
            assertEquals(3, subs.size());
            assertEquals(
                    List.of(5000L, 5040L, 5020L),
                    subs.stream().map(RawMessage::timestamp).toList());
            assertEquals(
                    List.of(9, 8, 18), subs.stream().map(RawMessage::typeId).toList());
            assertTrue(subs.stream().allMatch(m -> m.chunkStreamId() == CSID && m.messageStreamId() == MSID));
            assertEquals("170000", ByteBufUtil.hexDump(subs.get(0).content()));
            assertEquals("af01", ByteBufUtil.hexDump(subs.get(1).content()));
            assertEquals("05", ByteBufUtil.hexDump(subs.get(2).content()));
        } finally {
            releaseAll(subs);
            agg.release();
        }
    }

    @Test
    void subMessagesAreRetainedSlicesNotCopies() {
        RawMessage agg = aggregate(0, "08" + "000002" + "000000" + "00" + "000000" + "af01" + "0000000d");
        List<RawMessage> subs = AggregateSplitter.split(agg);
        try {
            assertEquals(2, agg.refCnt(), "one reference for the aggregate, one for the slice");
            agg.content().setByte(11, 0x2f); // first data byte, seen through the slice
            assertEquals(0x2f, subs.get(0).content().getUnsignedByte(0));
        } finally {
            releaseAll(subs);
            agg.release();
        }
        assertEquals(0, agg.refCnt());
    }

    @Test
    void timestampExtendedByteIsTheUpperEightBits() {
        RawMessage agg = aggregate(
                100,
                // ts 0x00fffff6
                "09" + "000000" + "fffff6" + "00" + "000000" + "0000000b"
                        // ts 0x01000005: TimestampExtended 01, 15 ms after the first
                        + "09" + "000000" + "000005" + "01" + "000000" + "0000000b");
        List<RawMessage> subs = AggregateSplitter.split(agg);
        try {
            assertEquals(
                    List.of(100L, 115L),
                    subs.stream().map(RawMessage::timestamp).toList());
        } finally {
            releaseAll(subs);
            agg.release();
        }
    }

    @Test
    void timestampsWrapAt32Bits() {
        RawMessage agg = aggregate(
                0xFFFFFFF0L,
                // ts 0xfffffffe (extended ff)
                "08" + "000000" + "fffffe" + "ff" + "000000" + "0000000b"
                        // ts 0x00000003: the tag clock wrapped, 5 ms later
                        + "08" + "000000" + "000003" + "00" + "000000" + "0000000b"
                        // ts 0x00000020: 0x22 ms after the first, the rebased clock wraps too
                        + "08" + "000000" + "000020" + "00" + "000000" + "0000000b");
        List<RawMessage> subs = AggregateSplitter.split(agg);
        try {
            assertEquals(
                    List.of(0xFFFFFFF0L, 0xFFFFFFF5L, 0x12L),
                    subs.stream().map(RawMessage::timestamp).toList());
        } finally {
            releaseAll(subs);
            agg.release();
        }
    }

    @Test
    void emptyAggregateYieldsNothing() {
        RawMessage agg = aggregate(0, "");
        try {
            assertEquals(List.of(), AggregateSplitter.split(agg));
        } finally {
            agg.release();
        }
    }

    @Test
    void zeroPreviousTagSizeIsTolerated() {
        RawMessage agg = aggregate(0, "08" + "000001" + "000000" + "00" + "000000" + "2f" + "00000000");
        List<RawMessage> subs = AggregateSplitter.split(agg);
        try {
            assertEquals(1, subs.size());
        } finally {
            releaseAll(subs);
            agg.release();
        }
    }

    @Test
    void wrongPreviousTagSizeIsAcceptedWhenIgnored() {
        RawMessage agg = aggregate(0, "08" + "000001" + "000000" + "00" + "000000" + "2f" + "00000063");
        List<RawMessage> subs = new ArrayList<>();
        try {
            AggregateSplitter.split(agg, PreviousTagSizeCheck.IGNORE, subs::add);
            assertEquals(1, subs.size());
        } finally {
            releaseAll(subs);
            agg.release();
        }
    }

    /** Splits through the consumer form and asserts: an error naming {@code expected}, nothing delivered, nothing retained. */
    private static void assertRejected(String hex, String expected) {
        RawMessage agg = aggregate(0, hex);
        List<RawMessage> delivered = new ArrayList<>();
        try {
            RtmpCodecException e =
                    assertThrows(RtmpCodecException.class, () -> AggregateSplitter.split(agg, delivered::add));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertEquals(List.of(), delivered, "all or nothing");
            assertEquals(1, agg.refCnt(), "no slice retained");
        } finally {
            releaseAll(delivered);
            agg.release();
        }
    }

    @Test
    void rejectsDataSizeBeyondPayload() {
        assertRejected("09" + "000010" + "000000" + "00" + "000000" + "1700" + "0000001b", "data size 16");
    }

    @Test
    void rejectsTruncatedTagHeader() {
        assertRejected("09" + "000000" + "0000", "truncated tag header");
    }

    @Test
    void rejectsTruncatedTagHeaderAfterAValidTag() {
        assertRejected("08" + "000001" + "000000" + "00" + "000000" + "2f" + "0000000c" + "09" + "00", "sub-message 1");
    }

    @Test
    void rejectsUnknownTagType() {
        assertRejected("07" + "000000" + "000000" + "00" + "000000" + "0000000b", "0x07");
    }

    @Test
    void rejectsFilterBit() {
        assertRejected("28" + "000000" + "000000" + "00" + "000000" + "0000000b", "filter bit");
    }

    @Test
    void rejectsWrongPreviousTagSize() {
        assertRejected("08" + "000001" + "000000" + "00" + "000000" + "2f" + "00000063", "PreviousTagSize 99");
    }

    @Test
    void rejectsMissingPreviousTagSize() {
        assertRejected("08" + "000001" + "000000" + "00" + "000000" + "2f", "PreviousTagSize");
    }

    @Test
    void rejectsANonAggregateMessage() {
        RawMessage video = new RawMessage(
                CSID, 0, MessageType.VIDEO, MSID, Unpooled.buffer(1).writeByte(0x17));
        try {
            assertThrows(IllegalArgumentException.class, () -> AggregateSplitter.split(video));
        } finally {
            video.release();
        }
    }
}
