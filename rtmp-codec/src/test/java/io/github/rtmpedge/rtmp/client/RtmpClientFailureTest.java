package io.github.rtmpedge.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every way a client connection fails: reported once, with its reason, and the channel closed. */
class RtmpClientFailureTest {

    private ClientHarness harness;

    @AfterEach
    void finish() {
        harness.channel.finishAndReleaseAll();
    }

    private static RtmpClientConfig.Builder player() {
        return RtmpClientConfig.play("live", "rtmp://o/live", "s");
    }

    private static RtmpClientConfig.Builder publisher() {
        return RtmpClientConfig.publish("live", "rtmp://o/live", "s");
    }

    /** The reason of the one failure reported; asserts the channel closed and the phase is CLOSED. */
    private String failure() {
        List<String> failures =
                harness.events.stream().filter(e -> e.startsWith("failed ")).toList();
        assertEquals(1, failures.size(), harness.events::toString);
        assertFalse(harness.channel.isOpen(), "closed");
        assertEquals(Phase.CLOSED, harness.client.phase());
        return failures.get(0).substring("failed ".length());
    }

    @Test
    void connectError() {
        harness = new ClientHarness(player().build());
        harness.handshakeDone();

        harness.receive(new CommandMessage(0, ClientHarness.error(1, StatusCode.CONNECT_REJECTED, "bad token")));

        assertEquals("connect rejected: NetConnection.Connect.Rejected (bad token)", failure());
        List<String> heard = harness.events;
        assertEquals(
                List.of(
                        "phase CONNECT",
                        "phase CLOSED",
                        "failed connect rejected: NetConnection.Connect.Rejected" + " (bad token)"),
                heard,
                "the phase is CLOSED when the failure is reported");
    }

    @Test
    void createStreamError() {
        harness = new ClientHarness(publisher().build());
        harness.handshakeDone();
        harness.connectAccepted();

        harness.receive(new CommandMessage(0, ClientHarness.error(4, StatusCode.CALL_FAILED, "no")));

        assertEquals("createStream failed", failure());
    }

    @Test
    void errorStatusBeforeStart() {
        harness = new ClientHarness(player().build());
        harness.handshakeDone();
        harness.connectAccepted();
        harness.streamCreated(2, 1);

        harness.status(1, StatusCode.PLAY_STREAM_NOT_FOUND, "no such stream");

        assertEquals("server says NetStream.Play.StreamNotFound (no such stream)", failure());
        assertTrue(harness.events.contains("status NetStream.Play.StreamNotFound"), "reported before failing");
    }

    @Test
    void errorStatusAfterStart() {
        harness = RtmpClientHandlerTest.startedPlayer();

        harness.status(1, StatusCode.STREAM_FAILED, "broken");

        assertEquals("server says NetStream.Failed (broken)", failure());
    }

    @Test
    void theListenerMayEndOnAStatusWithItsOwnReason() {
        harness = RtmpClientHandlerTest.startedPlayer();
        harness.failOnStatus = StatusCode.PLAY_STOP.code();

        harness.status(1, StatusCode.PLAY_STOP, "stopped");

        assertEquals("listener ends on NetStream.Play.Stop", failure());
    }

    @Test
    void theListenersReasonWinsOverTheClientsOwnForAnErrorStatus() {
        harness = RtmpClientHandlerTest.startedPlayer();
        harness.failOnStatus = StatusCode.PLAY_FAILED.code();

        harness.status(1, StatusCode.PLAY_FAILED, "failed");

        assertEquals("listener ends on NetStream.Play.Failed", failure());
    }

    @Test
    void aMalformedAnswerIsAProtocolError() {
        harness = new ClientHarness(player().build());
        harness.handshakeDone();
        harness.connectAccepted();

        harness.receive(new CommandMessage(0, Command.of(Commands.RESULT, 2, null, "not a stream id")));

        assertTrue(failure().startsWith("protocol error: stream id of '_result' is String"), harness.events::toString);
    }

    @Test
    void anExceptionFromBelow() {
        harness = new ClientHarness(player().build());

        harness.channel.pipeline().fireExceptionCaught(new RtmpCodecException("chunk stream 3: bad header"));

        assertEquals("protocol error: chunk stream 3: bad header", failure());
    }

    @Test
    void anyOtherException() {
        harness = new ClientHarness(player().build());

        harness.channel.pipeline().fireExceptionCaught(new IllegalStateException("boom"));

        assertEquals("java.lang.IllegalStateException: boom", failure());
    }

    @Test
    void closedBeforeStart() {
        harness = new ClientHarness(publisher().build());
        harness.handshakeDone();

        harness.channel.close();

        assertEquals("connection closed before Publish.Start", failure());
    }

    @Test
    void closedAfterStart() {
        harness = RtmpClientHandlerTest.startedPlayer();

        harness.channel.close();

        assertEquals("connection closed", failure());
    }

    @Test
    void failFromAnotherCallerIsReportedOnceEvenIfRepeated() {
        harness = RtmpClientHandlerTest.startedPlayer();

        harness.client.fail("enough");
        harness.client.fail("again");

        assertEquals("enough", failure());
    }

    @Test
    void noAnswerToConnect() {
        harness = new ClientHarness(
                player().timeout(Phase.CONNECT, Duration.ofMillis(1500)).build());
        harness.handshakeDone();

        advance(1499);
        assertTrue(harness.channel.isActive());
        advance(1);

        assertEquals("no answer to connect within 1500 ms", failure());
    }

    @Test
    void noAnswerToCreateStream() {
        harness = new ClientHarness(publisher()
                .timeout(Phase.CONNECT, Duration.ofSeconds(1))
                .timeout(Phase.CREATE_STREAM, Duration.ofSeconds(2))
                .build());
        harness.handshakeDone();
        advance(900);
        harness.connectAccepted();

        advance(1999);
        assertTrue(harness.channel.isActive(), "the connect timer stopped when connect was answered");
        advance(1);

        assertEquals("no answer to createStream within 2000 ms", failure());
    }

    @Test
    void noPlayStart() {
        harness = new ClientHarness(
                player().timeout(Phase.START, Duration.ofSeconds(3)).build());
        harness.handshakeDone();
        harness.connectAccepted();
        harness.streamCreated(2, 1);
        harness.status(1, StatusCode.PLAY_RESET, "reset is not start");

        advance(3000);

        assertEquals("no Play.Start within 3000 ms", failure());
    }

    @Test
    void noPublishStart() {
        harness = new ClientHarness(
                publisher().timeout(Phase.START, Duration.ofMillis(250)).build());
        harness.handshakeDone();
        harness.connectAccepted();
        harness.streamCreated(4, 1);

        advance(250);

        assertEquals("no Publish.Start within 250 ms", failure());
    }

    @Test
    void aStartedConnectionHasNoTimer() {
        harness = new ClientHarness(player().timeout(Phase.CONNECT, Duration.ofSeconds(1))
                .timeout(Phase.CREATE_STREAM, Duration.ofSeconds(1))
                .timeout(Phase.START, Duration.ofSeconds(1))
                .build());
        harness.handshakeDone();
        harness.connectAccepted();
        harness.streamCreated(2, 1);
        harness.status(1, StatusCode.PLAY_START, "start");

        advance(60_000);

        assertTrue(harness.channel.isActive());
        assertEquals(Phase.STARTED, harness.client.phase());
    }

    @Test
    void onlyPhasesThatWaitForTheServerTakeATimeout() {
        assertThrows(IllegalArgumentException.class, () -> player().timeout(Phase.STARTED, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> player().timeout(Phase.CONNECT, Duration.ZERO));
        assertThrows(
                IllegalStateException.class, () -> publisher().bufferLength(100).build());
        harness = new ClientHarness(player().build());
    }

    private void advance(long millis) {
        harness.channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        harness.channel.runScheduledPendingTasks();
    }
}
