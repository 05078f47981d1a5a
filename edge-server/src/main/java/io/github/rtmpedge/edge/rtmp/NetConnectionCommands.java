package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;

/**
 * The NetConnection commands (RTMP spec 7.2.1): connect, with the on_connect decision, and
 * createStream; the commands FMLE-style encoders send that need only an empty answer. Confined to
 * the connection's event loop.
 */
final class NetConnectionCommands {

    private final SessionContext session;
    private final AuthorisationGate gate;
    private int nextStreamId = 1;

    NetConnectionCommands(SessionContext session, AuthorisationGate gate) {
        this.session = session;
        this.gate = gate;
    }

    void connect(Command command) {
        if (session.app != null) {
            session.services.meters().violations().increment(Violation.OUT_OF_ORDER);
            session.close(CloseReason.PROTOCOL_ERROR, "second connect on one connection");
            return;
        }
        ConnectRequest request = ConnectRequest.parse(command);
        StreamName appName = StreamName.parse(request.app());
        if (appName.name().isEmpty()) {
            session.reply(
                    0,
                    ConnectResult.rejected(Status.of(StatusCode.CONNECT_REJECTED, "No application name"))
                            .toCommand(command.transactionId()));
            session.channel.flush();
            session.close(CloseReason.CONNECT_REJECTED, "empty application name");
            return;
        }
        session.app = appName.name();
        session.appQuery = appName.query();
        session.tcUrl = request.tcUrl() == null ? "" : request.tcUrl();
        session.pageUrl = request.pageUrl() == null ? "" : request.pageUrl();
        gate.decide(
                session.services.gatekeeper().connect(session.hookEvent("on_connect", null)),
                "connect " + session.app,
                verdict -> {
                    if (verdict.allowed()) {
                        accept(request, command);
                        return;
                    }
                    gate.refused(AuthAction.CONNECT, session.app, verdict);
                    session.reply(
                            0,
                            ConnectResult.rejected(Status.of(StatusCode.CONNECT_REJECTED, "Connection rejected"))
                                    .toCommand(command.transactionId()));
                    session.channel.flush();
                    session.close(CloseReason.CONNECT_REJECTED, verdict.reason().tag());
                });
    }

    private void accept(ConnectRequest request, Command command) {
        SessionSettings settings = session.settings;
        // Window, bandwidth and chunk size before the result, as servers customarily do (7.2.1.1).
        session.channel.write(new ProtocolControlMessage.WindowAcknowledgementSize(settings.windowAckSize()));
        session.channel.write(new ProtocolControlMessage.SetPeerBandwidth(
                settings.windowAckSize(), ProtocolControlMessage.LimitType.DYNAMIC));
        session.channel.write(new ProtocolControlMessage.SetChunkSize(settings.chunkSize()));
        session.reply(0, ConnectResult.success(request.objectEncoding()).toCommand(command.transactionId()));
        session.reply(0, Commands.onBwDone());
        session.channel.flush();
        RtmpSession.log.info(
                "{}: connected to app {} (flashVer {}, tcUrl {})",
                session.remote,
                session.app,
                request.flashVer(),
                QueryParams.redact(request.tcUrl()));
    }

    void createStream(Command command) {
        if (session.connected("createStream")) {
            session.reply(0, Commands.createStreamResult(command.transactionId(), nextStreamId++));
            session.channel.flush(); // the client waits for the stream id before it sends publish or play
        }
    }

    /** releaseStream, FCPublish, _checkbw, getStreamLength...: an empty result if one is awaited. */
    void answerNull(int msid, Command command) {
        if (command.transactionId() != 0) {
            session.reply(msid, Commands.result(command.transactionId(), null));
            session.channel.flush();
        }
    }
}
