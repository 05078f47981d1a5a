package io.github.rtmpedge.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Abort;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.LimitType;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetChunkSize;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetPeerBandwidth;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.WindowAcknowledgementSize;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingRequest;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingResponse;
import io.github.rtmpedge.rtmp.message.UserControlMessage.SetBufferLength;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamBegin;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamDry;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamEof;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamIsRecorded;
import io.github.rtmpedge.rtmp.message.UserControlMessage.UnknownEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden payloads for the typed messages without AMF: control, user control, payload carriers. */
class MessagesTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    static Stream<Arguments> controlMessages() {
        return Stream.of(
                Arguments.of(new SetChunkSize(4096), 1, "00001000"),
                Arguments.of(new SetChunkSize(0x7FFFFFFF), 1, "7fffffff"),
                Arguments.of(new Abort(6), 2, "00000006"),
                Arguments.of(new Acknowledgement(0xFFFFFFFFL), 3, "ffffffff"),
                Arguments.of(new WindowAcknowledgementSize(2_500_000), 5, "002625a0"),
                Arguments.of(new SetPeerBandwidth(2_500_000, LimitType.DYNAMIC), 6, "002625a0" + "02"),
                Arguments.of(new StreamBegin(1), 4, "0000" + "00000001"),
                Arguments.of(new StreamEof(1), 4, "0001" + "00000001"),
                Arguments.of(new StreamDry(1), 4, "0002" + "00000001"),
                Arguments.of(new SetBufferLength(1, 3000), 4, "0003" + "00000001" + "00000bb8"),
                Arguments.of(new StreamIsRecorded(1), 4, "0004" + "00000001"),
                Arguments.of(new PingRequest(0xDEADBEEFL), 4, "0006" + "deadbeef"),
                Arguments.of(new PingResponse(0xDEADBEEFL), 4, "0007" + "deadbeef"),
                Arguments.of(new UnknownEvent(26, new byte[] {1, 2}), 4, "001a" + "0102"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlMessages")
    void controlMessageGoldenPayloadBothWays(RtmpMessage message, int typeId, String payloadHex) {
        RawMessage raw = Messages.encode(message, ALLOC);
        try {
            assertEquals(2, raw.chunkStreamId(), "chunk stream 2 for control");
            assertEquals(typeId, raw.typeId());
            assertEquals(0, raw.messageStreamId());
            assertEquals(0, raw.timestamp());
            assertEquals(payloadHex, ByteBufUtil.hexDump(raw.content()));
            assertEquals(message, Messages.decode(raw, AmfLimits.DEFAULT));
        } finally {
            raw.release();
        }
    }

    static Stream<Arguments> shortControlPayloads() {
        return Stream.of(
                Arguments.of(1, "000010", "Set Chunk Size message has 3 bytes, needs 4"),
                Arguments.of(1, "00000000", "Set Chunk Size 0 out of range 1..2147483647"),
                Arguments.of(1, "80000000", "Set Chunk Size 2147483648 out of range 1..2147483647"),
                Arguments.of(2, "", "Abort message has 0 bytes, needs 4"),
                Arguments.of(3, "01", "Acknowledgement message has 1 bytes, needs 4"),
                Arguments.of(5, "000000", "Window Acknowledgement Size message has 3 bytes, needs 4"),
                Arguments.of(6, "002625a0", "Set Peer Bandwidth message has 4 bytes, needs 5"),
                Arguments.of(6, "002625a003", "Set Peer Bandwidth limit type 3 is not 0, 1 or 2"),
                Arguments.of(4, "00", "User Control message has 1 bytes, needs 2"),
                Arguments.of(4, "000000", "StreamBegin message has 3 bytes, needs 6"),
                Arguments.of(4, "000300000001", "SetBufferLength message has 6 bytes, needs 10"),
                Arguments.of(4, "0006", "PingRequest message has 2 bytes, needs 6"));
    }

    @ParameterizedTest(name = "type {0} payload {1}")
    @MethodSource("shortControlPayloads")
    void malformedControlPayloadIsAClearError(int typeId, String payloadHex, String error) {
        RawMessage raw = new RawMessage(2, 0, typeId, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(payloadHex)));
        try {
            RtmpCodecException e =
                    assertThrows(RtmpCodecException.class, () -> Messages.decode(raw, AmfLimits.DEFAULT));
            assertEquals(error, e.getMessage());
        } finally {
            raw.release();
        }
    }

    static Stream<Arguments> payloadTypes() {
        return Stream.of(
                Arguments.of(8, AudioMessage.class, 6),
                Arguments.of(9, VideoMessage.class, 7),
                Arguments.of(18, DataMessage.class, 5),
                Arguments.of(15, DataMessage.class, 5),
                Arguments.of(19, SharedObjectMessage.class, 3),
                Arguments.of(16, SharedObjectMessage.class, 3),
                Arguments.of(22, AggregateMessage.class, 7),
                Arguments.of(99, UnknownMessage.class, 3));
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("payloadTypes")
    void payloadMessagesShareTheBufferNeverCopy(int typeId, Class<? extends PayloadMessage> type, int defaultCsid) {
        ByteBuf content = ALLOC.buffer().writeBytes(new byte[] {0x17, 0x01, 0x00});
        RawMessage raw = new RawMessage(9, 1234, typeId, 1, content);
        RtmpMessage decoded = Messages.decode(raw, AmfLimits.DEFAULT);
        try {
            PayloadMessage p = assertInstanceOf(type, decoded);
            assertEquals(typeId, p.typeId());
            assertEquals(1234, p.timestamp());
            assertEquals(1, p.messageStreamId());
            assertEquals(2, content.refCnt(), "the message holds its own reference to the same buffer");
            assertSame(content, p.content(), "no copy: the very same buffer");
            RawMessage again = Messages.encode(p, ALLOC);
            try {
                assertEquals(defaultCsid, again.chunkStreamId());
                assertEquals(typeId, again.typeId());
                assertEquals(1234, again.timestamp());
                assertArrayEquals(new byte[] {0x17, 0x01, 0x00}, ByteBufUtil.getBytes(again.content()));
                assertEquals(3, content.refCnt());
            } finally {
                again.release();
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(decoded);
            raw.release();
        }
        assertEquals(0, content.refCnt());
    }

    @Test
    void payloadMessageDuplicatesShareContent() {
        ByteBuf content = ALLOC.buffer().writeBytes(new byte[] {0x27, 0x01});
        VideoMessage video = new VideoMessage(40, 1, content);
        PayloadMessage dup = video.retainedDuplicate();
        assertInstanceOf(VideoMessage.class, dup);
        assertEquals(40, dup.timestamp());
        assertEquals(2, content.refCnt());
        assertFalse(video.release());
        dup.release();
        assertEquals(0, content.refCnt());
    }
}
