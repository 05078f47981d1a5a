package io.github.rtmpedge.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands (types 20 and 17) and data (18 and 15) through {@link Messages}, with golden payloads. */
class CommandAndDataMessagesTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** AMF0 of {@code "createStream", 2.0, null}. */
    private static final String CREATE_STREAM_AMF0 = "02000c" + "63726561746553747265616d" // string "createStream"
            + "00" + "4000000000000000" // number 2.0
            + "05"; // null

    @Test
    void amf0CommandGoldenPayloadOnChunkStream3() {
        RawMessage raw = Messages.encode(new CommandMessage(0, Commands.createStream(2)), ALLOC);
        try {
            assertEquals(MessageType.COMMAND_AMF0, raw.typeId());
            assertEquals(Messages.CONNECTION_COMMAND_CHUNK_STREAM, raw.chunkStreamId());
            assertEquals(CREATE_STREAM_AMF0, ByteBufUtil.hexDump(raw.content()));
            CommandMessage back = assertInstanceOf(CommandMessage.class, Messages.decode(raw, AmfLimits.DEFAULT));
            assertEquals("createStream", back.name());
            assertEquals(2.0, back.command().transactionId());
        } finally {
            raw.release();
        }
    }

    @Test
    void commandOnAMediaStreamGoesOnChunkStream5() {
        Command onStatus = Command.of("onStatus", 0, null, AmfObject.of("level", "status"));
        RawMessage raw = Messages.encode(new CommandMessage(1, onStatus), ALLOC);
        try {
            assertEquals(Messages.STREAM_CHUNK_STREAM, raw.chunkStreamId());
            assertEquals(1, raw.messageStreamId());
        } finally {
            raw.release();
        }
    }

    @Test
    void amf3CommandStartsWithAFormatByteThenAmf0() {
        RawMessage raw = new RawMessage(
                3,
                0,
                MessageType.COMMAND_AMF3,
                0,
                Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("00" + CREATE_STREAM_AMF0)));
        try {
            CommandMessage m = assertInstanceOf(CommandMessage.class, Messages.decode(raw, AmfLimits.DEFAULT));
            assertEquals(true, m.amf3());
            assertEquals("createStream", m.name());
            RawMessage again = Messages.encode(m, ALLOC);
            try {
                assertEquals(MessageType.COMMAND_AMF3, again.typeId());
                assertEquals("00" + CREATE_STREAM_AMF0, ByteBufUtil.hexDump(again.content()));
            } finally {
                again.release();
            }
        } finally {
            raw.release();
        }
    }

    @Test
    void commandWithoutANameIsAClearError() {
        RawMessage raw = new RawMessage(
                3,
                0,
                MessageType.COMMAND_AMF0,
                0,
                Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("004000000000000000"))); // just a number
        try {
            RtmpCodecException e =
                    assertThrows(RtmpCodecException.class, () -> Messages.decode(raw, AmfLimits.DEFAULT));
            assertEquals(true, e.getMessage().contains("name"), e.getMessage());
        } finally {
            raw.release();
        }
    }

    @Test
    void dataMessageKeepsItsBytesAndDecodesOnDemand() {
        DataMessage data = Messages.dataMessage(ALLOC, 40, 1, List.of("onMetaData", AmfObject.of("width", 1280.0)));
        try {
            assertEquals(MessageType.DATA_AMF0, data.typeId());
            assertEquals(
                    "02000a" + "6f6e4d65746144617461" // "onMetaData"
                            + "03" + "0005" + "7769647468" + "00" + "4094000000000000" // {width: 1280.0
                            + "000009",
                    ByteBufUtil.hexDump(data.content())); // }
            List<Object> values = Messages.dataValues(data, AmfLimits.DEFAULT);
            assertEquals("onMetaData", values.get(0));
            assertEquals(1280.0, ((AmfObject) values.get(1)).number("width"));
        } finally {
            data.release();
        }
    }

    @Test
    void amf3DataMessageSkipsTheFormatByte() {
        byte[] amf0 = ByteBufUtil.decodeHexDump("02000a6f6e4d65746144617461" + "05");
        byte[] payload = new byte[amf0.length + 1];
        System.arraycopy(amf0, 0, payload, 1, amf0.length);
        DataMessage data = new DataMessage(true, 0, 1, Unpooled.wrappedBuffer(payload));
        try {
            assertEquals(MessageType.DATA_AMF3, data.typeId());
            assertEquals(Arrays.asList("onMetaData", null), Messages.dataValues(data, AmfLimits.DEFAULT));
        } finally {
            data.release();
        }
    }
}
