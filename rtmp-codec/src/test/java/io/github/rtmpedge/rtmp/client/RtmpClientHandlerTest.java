package io.github.rtmpedge.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The conversations the client holds when all goes well: what it sends, in order, and what it reports. */
class RtmpClientHandlerTest {

    private static final String TC_URL = "rtmp://origin:1935/live?token=t1";

    private ClientHarness harness;

    @AfterEach
    void finish() {
        harness.channel.finishAndReleaseAll();
    }

    @Test
    void playSendsConnectCreateStreamPlayAndBufferLengthThenReportsStartAndMedia() {
        harness = new ClientHarness(RtmpClientConfig.play("live?token=t1", TC_URL, "cam1?token=t2")
                .bufferLength(3000)
                .build());
        assertEquals(Phase.HANDSHAKE, harness.client.phase());
        assertEquals(List.of(), harness.sent(), "nothing before the handshake is done");

        harness.handshakeDone();
        assertEquals(
                List.of("msid 0 connect 1.0 {app=live?token=t1, flashVer=LNX 9,0,124,2, tcUrl=" + TC_URL
                        + ", objectEncoding=0.0} []"),
                harness.sent());

        harness.connectAccepted();
        assertEquals(List.of("msid 0 createStream 2.0 null []"), harness.sent());

        harness.streamCreated(2, 1);
        assertEquals(
                List.of(
                        "msid 1 play 0.0 null [cam1?token=t2, -2.0, -1.0, true]",
                        "SetBufferLength[streamId=1, bufferLengthMillis=3000]"),
                harness.sent());
        assertEquals(1, harness.client.streamId());

        harness.receive(new UserControlMessage.StreamBegin(1));
        harness.status(1, StatusCode.PLAY_RESET, "reset");
        harness.status(1, StatusCode.PLAY_START, "start");
        ByteBuf frame = Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0});
        harness.receive(new VideoMessage(40, 1, frame));
        harness.receive(new AudioMessage(40, 2, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1})));

        assertEquals(
                List.of(
                        "phase CONNECT",
                        "phase CREATE_STREAM",
                        "phase START",
                        "event StreamBegin[streamId=1]",
                        "status NetStream.Play.Reset",
                        "status NetStream.Play.Start",
                        "phase STARTED",
                        "started 1",
                        "media type 9 @40 5 bytes"),
                harness.heard(),
                "media of another message stream is not ours");
        assertEquals(0, frame.refCnt(), "the client releases what it reported");
        assertEquals(Phase.STARTED, harness.client.phase());
        assertEquals(List.of(), harness.sent());
        assertTrue(harness.channel.isActive());
    }

    @Test
    void publishSendsChunkSizeConnectReleaseStreamFcPublishCreateStreamPublish() {
        harness = new ClientHarness(RtmpClientConfig.publish("live", "rtmp://o/live", "cam1?k=v")
                .chunkSize(4096)
                .build());

        harness.handshakeDone();
        assertEquals(
                List.of(
                        "SetChunkSize[chunkSize=4096]",
                        "msid 0 connect 1.0 {app=live, flashVer=" + RtmpClientConfig.ENCODER_FLASH_VER
                                + ", tcUrl=rtmp://o/live, objectEncoding=0.0} []"),
                harness.sent());

        harness.connectAccepted();
        assertEquals(
                List.of(
                        "msid 0 releaseStream 2.0 null [cam1?k=v]",
                        "msid 0 FCPublish 3.0 null [cam1?k=v]",
                        "msid 0 createStream 4.0 null []"),
                harness.sent());

        harness.receive(new CommandMessage(0, ClientHarness.error(2, StatusCode.CALL_FAILED, "releaseStream unknown")));
        harness.streamCreated(4, 7);
        assertEquals(List.of("msid 7 publish 0.0 null [cam1?k=v, live]"), harness.sent());

        harness.status(7, StatusCode.PUBLISH_START, "publishing");
        assertEquals(
                List.of(
                        "phase CONNECT",
                        "phase CREATE_STREAM",
                        "phase START",
                        "status NetStream.Publish.Start",
                        "phase STARTED",
                        "started 7"),
                harness.heard(),
                "an _error to releaseStream is no failure");
        assertTrue(harness.channel.isActive());
    }

    @Test
    void aPlayerWithoutBufferLengthSendsOnlyPlay() {
        harness = new ClientHarness(RtmpClientConfig.play("live", "rtmp://o/live", "s")
                .flashVer("test/1")
                .build());
        harness.handshakeDone();
        assertTrue(harness.sent().get(0).contains("flashVer=test/1"));
        harness.connectAccepted();
        harness.sent();
        harness.streamCreated(2, 1);
        assertEquals(List.of("msid 1 play 0.0 null [s, -2.0, -1.0, true]"), harness.sent());
    }

    @Test
    void answersPingsAndAcknowledgesInAnyPhase() {
        harness = new ClientHarness(
                RtmpClientConfig.play("live", "rtmp://o/live", "s").build());

        harness.receive(new UserControlMessage.PingRequest(123_456));
        harness.channel.pipeline().fireUserEventTriggered(new AcknowledgementDue(2_500_000));

        assertEquals(List.of("PingResponse[time=123456]", "Acknowledgement[sequenceNumber=2500000]"), harness.sent());
        assertEquals(List.of(), harness.heard());
    }

    @Test
    void aClientToldNotToAcknowledgeStaysSilent() {
        harness = new ClientHarness(RtmpClientConfig.play("live", "rtmp://o/live", "s")
                .acknowledge(false)
                .build());

        harness.channel.pipeline().fireUserEventTriggered(new AcknowledgementDue(2_500_000));

        assertEquals(List.of(), harness.sent());
    }

    @Test
    void statusesAndStreamEventsAfterStartAreReportedWithoutEndingThePlay() {
        harness = startedPlayer();

        harness.status(1, StatusCode.PLAY_UNPUBLISH_NOTIFY, "gone");
        harness.receive(new UserControlMessage.StreamEof(1));
        harness.status(1, StatusCode.PLAY_PUBLISH_NOTIFY, "back");
        harness.status(1, StatusCode.PLAY_STOP, "stopped");

        assertEquals(
                List.of(
                        "status NetStream.Play.UnpublishNotify",
                        "event StreamEof[streamId=1]",
                        "status NetStream.Play.PublishNotify",
                        "status NetStream.Play.Stop"),
                harness.heard());
        assertEquals(Phase.STARTED, harness.client.phase());
        assertTrue(harness.channel.isActive());
    }

    @Test
    void aSecondStartChangesNothing() {
        harness = startedPlayer();

        harness.status(1, StatusCode.PLAY_START, "again");

        assertEquals(List.of("status NetStream.Play.Start"), harness.heard());
    }

    @Test
    void mediaBeforeStartIsDropped() {
        harness = new ClientHarness(
                RtmpClientConfig.play("live", "rtmp://o/live", "s").build());
        harness.handshakeDone();
        harness.connectAccepted();
        harness.streamCreated(2, 1);
        harness.heard();
        ByteBuf early = Unpooled.wrappedBuffer(new byte[] {0x17, 0});

        harness.receive(new VideoMessage(0, 1, early));

        assertEquals(List.of(), harness.heard());
        assertEquals(0, early.refCnt());
    }

    @Test
    void anAnswerToAnotherTransactionOrPhaseIsIgnored() {
        harness = new ClientHarness(
                RtmpClientConfig.play("live", "rtmp://o/live", "s").build());
        harness.handshakeDone();
        harness.sent();

        harness.streamCreated(2, 1); // createStream was not sent yet
        harness.receive(new CommandMessage(0, ClientHarness.emptyResult(9)));

        assertEquals(List.of(), harness.sent());
        assertEquals(Phase.CONNECT, harness.client.phase());
        assertFalse(harness.heard().stream().anyMatch(e -> e.startsWith("failed")));
    }

    /** A player that has reached STARTED on stream 1, with the sent messages and events drained. */
    static ClientHarness startedPlayer() {
        ClientHarness h = new ClientHarness(
                RtmpClientConfig.play("live", "rtmp://o/live", "s").build());
        h.handshakeDone();
        h.connectAccepted();
        h.streamCreated(2, 1);
        h.status(1, StatusCode.PLAY_START, "start");
        h.sent();
        h.heard();
        return h;
    }
}
