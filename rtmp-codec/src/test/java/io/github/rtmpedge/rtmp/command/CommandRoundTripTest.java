package io.github.rtmpedge.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.amf.Amf0Reader;
import io.github.rtmpedge.rtmp.amf.Amf0Writer;
import io.github.rtmpedge.rtmp.amf.AmfEcmaArray;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Build → AMF0 bytes → parse gives the same values. */
class CommandRoundTripTest {

    static List<Object> throughAmf0(List<Object> values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.writeAll(buf, values);
            return Amf0Reader.readAll(buf, AmfLimits.DEFAULT);
        } finally {
            buf.release();
        }
    }

    static Command throughAmf0(Command command) {
        return Command.parse(throughAmf0(command.toValues()));
    }

    @Test
    void connectRequest() {
        ConnectRequest sent = ConnectRequest.of("live", "rtmp://h/live", "FMLE/3.0", null, null, 0);
        Command wire = throughAmf0(sent.toCommand(1));
        assertEquals(1.0, wire.transactionId());
        assertEquals(sent, ConnectRequest.parse(wire));
    }

    @Test
    void connectSuccess() {
        ConnectResult sent = ConnectResult.success(0);
        ConnectResult parsed = ConnectResult.parse(throughAmf0(sent.toCommand(1)));
        assertEquals(sent, parsed);
        assertEquals("FMS/3,5,3,888", parsed.fmsVer());
        assertEquals(StatusCode.CONNECT_SUCCESS, parsed.info().statusCode());
        assertEquals(0.0, parsed.info().extra().number("objectEncoding"));
    }

    @Test
    void connectRejected() {
        ConnectResult sent = ConnectResult.rejected(Status.of(StatusCode.CONNECT_REJECTED, "no such app"));
        Command wire = throughAmf0(sent.toCommand(1));
        assertEquals(Commands.ERROR, wire.name());
        assertEquals(sent, ConnectResult.parse(wire));
    }

    @Test
    void createStreamAndResult() {
        assertEquals(Commands.createStream(2), throughAmf0(Commands.createStream(2)));
        assertEquals(1, Commands.parseCreateStreamResult(throughAmf0(Commands.createStreamResult(2, 1))));
    }

    @Test
    void onStatusWithExtraFields() {
        Status sent = Status.of(StatusCode.PLAY_START, "Started playing cam1.")
                .with("details", "cam1")
                .with("clientid", "ABC");
        Command wire = throughAmf0(Commands.onStatus(sent));
        assertEquals(0.0, wire.transactionId());
        assertNull(wire.commandObject());
        AmfMap info = (AmfMap) wire.argument(0);
        assertEquals(List.of("level", "code", "description", "details", "clientid"), List.copyOf(info.keySet()));
        assertEquals(sent, Commands.parseOnStatus(wire));
    }

    @Test
    void publish() {
        PublishRequest sent = new PublishRequest("cam1?token=abc", PublishRequest.Type.RECORD);
        PublishRequest parsed = PublishRequest.parse(throughAmf0(sent.toCommand(5)));
        assertEquals(sent, parsed);
        assertEquals(new StreamName("cam1", "token=abc"), parsed.streamName());
    }

    @Test
    void play() {
        PlayRequest sent = new PlayRequest("cam1", -1000, -1, false);
        assertEquals(sent, PlayRequest.parse(throughAmf0(sent.toCommand(4))));
    }

    @Test
    void deleteStream() {
        assertEquals(7, Commands.parseDeleteStream(throughAmf0(Commands.deleteStream(6, 7))));
    }

    @Test
    void streamNameCommands() {
        for (Command c : List.of(
                Commands.releaseStream(2, "cam1"),
                Commands.fcPublish(3, "cam1"),
                Commands.fcUnpublish(4, "cam1"),
                Commands.getStreamLength(5, "cam1"))) {
            Command wire = throughAmf0(c);
            assertEquals(c, wire);
            assertEquals("cam1", Commands.parseStreamNameArgument(wire));
        }
    }

    @Test
    void serverNotifications() {
        for (Command c : List.of(
                Commands.closeStream(),
                Commands.onBwDone(),
                Commands.checkBw(3),
                Commands.onFcPublish(Status.of(StatusCode.PUBLISH_START, "cam1")),
                Commands.onFcUnpublish(Status.of(StatusCode.UNPUBLISH_SUCCESS, "cam1")))) {
            assertEquals(c, throughAmf0(c));
        }
        assertEquals(
                StatusCode.PUBLISH_START,
                Commands.parseOnStatus(throughAmf0(Commands.onFcPublish(Status.of(StatusCode.PUBLISH_START, "x"))))
                        .statusCode());
    }

    @Test
    void setDataFrameRelaysAsOnMetaData() {
        AmfEcmaArray meta = AmfEcmaArray.of("width", 1280.0, "height", 720.0, "encoder", "obs-output module");
        List<Object> published = throughAmf0(DataMessages.setDataFrame(meta));
        assertEquals(List.of("@setDataFrame", "onMetaData", meta), published);
        List<Object> relayed = DataMessages.unwrapSetDataFrame(published);
        assertEquals(DataMessages.onMetaData(meta), relayed);
        assertEquals(meta, DataMessages.parseMetaData(published));
        assertEquals(meta, DataMessages.parseMetaData(relayed));
        assertTrue(DataMessages.isMetaData(relayed));
    }

    @Test
    void metaDataAsPlainObjectIsAccepted() {
        List<Object> values = throughAmf0(List.of("onMetaData", AmfObject.of("duration", 0.0)));
        assertEquals(0.0, DataMessages.parseMetaData(values).number("duration"));
    }

    @Test
    void rtmpSampleAccess() {
        assertEquals(
                List.of("|RtmpSampleAccess", true, false), throughAmf0(DataMessages.rtmpSampleAccess(true, false)));
    }
}
