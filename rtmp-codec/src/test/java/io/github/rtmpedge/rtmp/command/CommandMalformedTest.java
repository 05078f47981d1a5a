package io.github.rtmpedge.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandMalformedTest {

    @Test
    void emptyValues() {
        assertThrows(RtmpCodecException.class, () -> Command.parse(List.of()));
    }

    @Test
    void nameNotAString() {
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> Command.parse(List.of(1.0, 1.0)));
        assertTrue(e.getMessage().contains("command name"), e.getMessage());
    }

    @Test
    void missingTransactionId() {
        RtmpCodecException e = assertThrows(RtmpCodecException.class, () -> Command.parse(List.of("connect")));
        assertTrue(e.getMessage().contains("transaction id"), e.getMessage());
    }

    @Test
    void transactionIdNotANumber() {
        assertThrows(RtmpCodecException.class, () -> Command.parse(List.of("connect", "1")));
    }

    @Test
    void connectWithoutCommandObject() {
        assertThrows(RtmpCodecException.class, () -> ConnectRequest.parse(Command.parse(List.of("connect", 1.0))));
    }

    @Test
    void connectWithoutApp() {
        RtmpCodecException e = assertThrows(
                RtmpCodecException.class,
                () -> ConnectRequest.parse(Command.of("connect", 1, AmfObject.of("tcUrl", "rtmp://h/live"))));
        assertTrue(e.getMessage().contains("app"), e.getMessage());
    }

    @Test
    void connectWithNumericApp() {
        assertThrows(
                RtmpCodecException.class,
                () -> ConnectRequest.parse(Command.of("connect", 1, AmfObject.of("app", 1.0))));
    }

    @Test
    void connectCommandObjectNotAnObject() {
        assertThrows(RtmpCodecException.class, () -> ConnectRequest.parse(Command.of("connect", 1, "live")));
    }

    @Test
    void parsingTheWrongCommand() {
        RtmpCodecException e =
                assertThrows(RtmpCodecException.class, () -> PlayRequest.parse(Command.of("publish", 0, null, "a")));
        assertTrue(e.getMessage().contains("'play'"), e.getMessage());
    }

    @Test
    void publishFalseIsRejected() {
        assertThrows(RtmpCodecException.class, () -> PublishRequest.parse(Command.of("publish", 0, null, false)));
    }

    @Test
    void publishUnknownType() {
        assertThrows(
                RtmpCodecException.class, () -> PublishRequest.parse(Command.of("publish", 0, null, "a", "stream")));
    }

    @Test
    void playWithoutName() {
        assertThrows(RtmpCodecException.class, () -> PlayRequest.parse(Command.of("play", 0, null)));
    }

    @Test
    void playStartNotANumber() {
        assertThrows(RtmpCodecException.class, () -> PlayRequest.parse(Command.of("play", 0, null, "a", "x")));
    }

    @Test
    void playResetNotABoolean() {
        assertThrows(
                RtmpCodecException.class, () -> PlayRequest.parse(Command.of("play", 0, null, "a", -2.0, -1.0, 1.0)));
    }

    @Test
    void fractionalStreamId() {
        assertThrows(RtmpCodecException.class, () -> Commands.parseCreateStreamResult(Commands.result(2, null, 1.5)));
    }

    @Test
    void negativeStreamId() {
        assertThrows(
                RtmpCodecException.class, () -> Commands.parseDeleteStream(Command.of("deleteStream", 0, null, -1.0)));
    }

    @Test
    void onStatusWithoutCode() {
        assertThrows(
                RtmpCodecException.class,
                () -> Commands.parseOnStatus(Command.of("onStatus", 0, null, AmfObject.of("level", "status"))));
    }

    @Test
    void onStatusWithoutInfo() {
        assertThrows(RtmpCodecException.class, () -> Commands.parseOnStatus(Command.of("onStatus", 0, null)));
    }

    @Test
    void metaDataWithoutObject() {
        assertThrows(
                RtmpCodecException.class, () -> DataMessages.parseMetaData(List.of("@setDataFrame", "onMetaData")));
    }

    @Test
    void notMetaData() {
        assertThrows(
                RtmpCodecException.class, () -> DataMessages.parseMetaData(List.of("onCuePoint", AmfObject.EMPTY)));
    }

    @Test
    void tcUrlWithoutScheme() {
        assertThrows(RtmpCodecException.class, () -> TcUrl.parse("host/live"));
    }

    @Test
    void tcUrlWithBadPort() {
        assertThrows(RtmpCodecException.class, () -> TcUrl.parse("rtmp://host:99999/live"));
    }

    @Test
    void argumentsMayHoldNulls() {
        Command c = Command.parse(Arrays.asList("x", 1.0, null, null, "a"));
        assertEquals(Arrays.asList(null, "a"), c.arguments());
    }
}
