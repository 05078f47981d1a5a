package io.github.rtmpedge.rtmp.client;

import io.github.rtmpedge.rtmp.amf.AmfObject;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RtmpClientHandler} alone in an {@link EmbeddedChannel} with frozen time: the test plays
 * the server with typed messages and reads what the client sent and what it reported, as text.
 */
final class ClientHarness implements RtmpClientListener {

    final EmbeddedChannel channel = new EmbeddedChannel();
    final RtmpClientHandler client;
    /** What the listener heard, in order. */
    final List<String> events = new ArrayList<>();
    /** Set by a test to end the connection from {@link #status}. */
    String failOnStatus;

    ClientHarness(RtmpClientConfig config) {
        channel.freezeTime();
        client = new RtmpClientHandler(config, this);
        channel.pipeline().addLast(client);
    }

    void handshakeDone() {
        channel.pipeline().fireUserEventTriggered(new HandshakeCompleted(false, 0, 0, true));
    }

    /** Everything the client wrote since the last call, one line per message. */
    List<String> sent() {
        List<String> lines = new ArrayList<>();
        for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
            lines.add(msg instanceof CommandMessage c ? describe(c) : msg.toString());
        }
        return lines;
    }

    /** What the listener heard since the last call. */
    List<String> heard() {
        List<String> copy = List.copyOf(events);
        events.clear();
        return copy;
    }

    static String describe(CommandMessage message) {
        Command c = message.command();
        return "msid " + message.messageStreamId() + " " + c.name() + " " + c.transactionId() + " " + c.commandObject()
                + " " + c.arguments();
    }

    void receive(Object message) {
        channel.writeInbound(message);
    }

    void connectAccepted() {
        receive(new CommandMessage(0, ConnectResult.success(0).toCommand(RtmpClientHandler.TX_CONNECT)));
    }

    void streamCreated(double transactionId, int streamId) {
        receive(new CommandMessage(0, Commands.createStreamResult(transactionId, streamId)));
    }

    void status(int streamId, StatusCode code, String description) {
        receive(new CommandMessage(streamId, Commands.onStatus(Status.of(code, description))));
    }

    static Command error(double transactionId, StatusCode code, String description) {
        return Command.of(
                Commands.ERROR,
                transactionId,
                null,
                Status.of(code, description).toObject());
    }

    static Command emptyResult(double transactionId) {
        return Command.of(Commands.RESULT, transactionId, AmfObject.EMPTY);
    }

    @Override
    public void phaseChanged(RtmpClientHandler c, Phase phase) {
        events.add("phase " + phase);
    }

    @Override
    public void status(RtmpClientHandler c, Status status) {
        events.add("status " + status.code());
        if (status.code().equals(failOnStatus)) {
            c.fail("listener ends on " + status.code());
        }
    }

    @Override
    public void started(RtmpClientHandler c, int streamId) {
        events.add("started " + streamId);
    }

    @Override
    public void streamEvent(RtmpClientHandler c, UserControlMessage event) {
        events.add("event " + event);
    }

    @Override
    public void media(RtmpClientHandler c, PayloadMessage message) {
        events.add("media type " + message.typeId() + " @" + message.timestamp() + " "
                + message.content().readableBytes() + " bytes");
    }

    @Override
    public void failed(RtmpClientHandler c, String reason) {
        events.add("failed " + reason);
    }
}
