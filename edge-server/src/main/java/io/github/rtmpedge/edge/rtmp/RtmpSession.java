package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.session.AccessRecord;
import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.stream.AppMeters;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeException;
import io.github.rtmpedge.rtmp.message.AggregateMessage;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UnknownMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP client connection on the server side: takes the decoded messages and hands each to the
 * part of the session whose job it is (NetConnection commands, publishing, playing, the
 * authorisation gate, the disconnector). Confined to the connection's event loop.
 */
public final class RtmpSession extends ChannelInboundHandlerAdapter {

    /** Every part of a session logs under this name, so that one logger follows a client. */
    static final Logger log = LoggerFactory.getLogger(RtmpSession.class);

    private final SessionServices services;
    private final SessionSettings settings;
    private final CommandRateLimit commandRate;
    private SessionContext session;
    private AuthorisationGate gate;
    private NetConnectionCommands netConnection;
    private PublishHandler publish;
    private PlayHandler play;
    private AckWatchdog acks;
    private boolean unknownLogged;

    public RtmpSession(SessionServices services, SessionSettings settings) {
        this.services = services;
        this.settings = settings;
        this.commandRate =
                new CommandRateLimit(settings.maxCommandsPerSecond(), settings.commandBurst(), System.nanoTime());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = new SessionContext(ctx.channel(), services, settings);
        gate = new AuthorisationGate(session, this::onCommand);
        netConnection = new NetConnectionCommands(session, gate);
        publish = new PublishHandler(session, gate);
        acks = new AckWatchdog(session);
        play = new PlayHandler(session, gate, acks);
    }

    /** What the connection does now; from any thread. */
    public Role role() {
        return session == null ? Role.NONE : session.role();
    }

    /** Where this connection's bytes count by app (while it plays or publishes), else null; its loop only. */
    AppMeters.Entry appEntry() {
        return session == null ? null : session.appEntry();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        services.meters().traffic().messagesReceived().increment(session.role());
        try {
            if (session.disconnector.closing()) {
                return; // closing: the rest of the batch the decoders produced is not acted upon
            }
            if (gate.deciding()) {
                gate.hold(msg); // nothing is acted on, and no media accepted, before the decision
            } else if (msg instanceof CommandMessage command) {
                onCommand(command);
            } else if (msg instanceof VideoMessage
                    || msg instanceof AudioMessage
                    || msg instanceof DataMessage
                    || msg instanceof AggregateMessage) {
                publish.media((PayloadMessage) msg);
            } else if (msg instanceof UserControlMessage.PingRequest ping) {
                ctx.writeAndFlush(new UserControlMessage.PingResponse(ping.time()));
            } else if (msg instanceof ProtocolControlMessage.Acknowledgement ack) {
                acks.acknowledged(ack.sequenceNumber());
            } else if (msg instanceof UnknownMessage unknown) {
                onUnknown(unknown);
            } else if (msg instanceof RtmpMessage other && log.isDebugEnabled()) {
                log.debug(
                        "{}: {}",
                        session.remote,
                        other instanceof ProtocolControlMessage
                                ? other
                                : other.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onCommand(CommandMessage message) {
        Command command = message.command();
        if (!commandRate.tryAcquire(System.nanoTime())) {
            services.meters().violations().increment(Violation.COMMAND_FLOOD);
            log.warn(
                    "{}: command flood: more than {} commands a second (burst {}); last was {}",
                    session.remote,
                    commandRate.perSecond(),
                    commandRate.burst(),
                    command.name());
            session.close(CloseReason.COMMAND_FLOOD, "over " + commandRate.perSecond() + " commands a second");
            return;
        }
        int msid = message.messageStreamId();
        switch (command.name()) {
            case ConnectRequest.NAME -> netConnection.connect(command);
            case Commands.CREATE_STREAM -> netConnection.createStream(command);
            case Commands.RELEASE_STREAM, Commands.FC_PUBLISH, Commands.CHECK_BW, Commands.GET_STREAM_LENGTH ->
                netConnection.answerNull(msid, command);
            case Commands.FC_UNPUBLISH -> {
                netConnection.answerNull(msid, command);
                publish.stop(true);
            }
            case PublishRequest.NAME -> publish.publish(msid, command);
            case PlayRequest.NAME -> play.play(msid, command);
            case Commands.DELETE_STREAM, Commands.CLOSE_STREAM -> {
                int target = command.name().equals(Commands.DELETE_STREAM) ? deleteTarget(command, msid) : msid;
                Role role = session.role();
                if (role == Role.PUBLISHER && target == publish.streamId()) {
                    publish.stop(true);
                } else if (role == Role.PLAYER && target == play.streamId()) {
                    play.stop(true);
                }
            }
            default -> log.debug("{}: ignoring command {}", session.remote, command.name());
        }
    }

    private static int deleteTarget(Command command, int fallback) {
        try {
            return Commands.parseDeleteStream(command);
        } catch (RtmpCodecException e) {
            return fallback;
        }
    }

    /** A message type nobody defined (or a reserved one): ignored, counted, logged once per connection. */
    private void onUnknown(UnknownMessage unknown) {
        services.meters().violations().increment(Violation.UNKNOWN_MESSAGE);
        if (!unknownLogged) {
            unknownLogged = true;
            log.warn(
                    "{}: ignoring message of unknown type {} ({} bytes); further unknown messages on this connection"
                            + " are only counted",
                    session.remote,
                    unknown.typeId(),
                    unknown.content().readableBytes());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
        } else if (evt instanceof HandshakeCompleted done) {
            log.debug("{}: handshake done ({})", session.remote, done.digest() ? "digest" : "simple");
        } else if (evt instanceof IdleStateEvent) {
            // A waiting player legitimately sends nothing; anyone else silent this long is gone.
            if (session.role() != Role.PLAYER) {
                session.close(CloseReason.IDLE, "no data received within the idle timeout");
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandshakeException handshake) {
            services.meters().handshakeFailures().increment(handshake.kind());
            session.close(CloseReason.PROTOCOL_ERROR, cause.getMessage());
        } else if (cause instanceof RtmpCodecException) {
            services.meters()
                    .decoderErrors()
                    .increment(
                            cause instanceof RtmpLimitExceededException
                                    ? DecoderError.LIMIT_EXCEEDED
                                    : DecoderError.MALFORMED);
            session.close(CloseReason.PROTOCOL_ERROR, cause.getMessage());
        } else if (cause instanceof IOException) {
            session.close(CloseReason.IO_ERROR, cause.getMessage());
        } else {
            log.warn("{}: unexpected error, closing", session.remote, cause);
            session.close(CloseReason.INTERNAL_ERROR, String.valueOf(cause));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        play.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ConnectionHandler counters = ctx.pipeline().get(ConnectionHandler.class);
        if (counters == null || counters.admitted()) {
            AccessRecord access = accessRecord(counters);
            session.disconnector.closed(
                    describeRole(),
                    (counters == null ? "" : counters.describeTraffic(access.durationMillis())) + deliverySummary(),
                    access);
        }
        gate.clear();
        publish.stop(false);
        play.stop(false);
        session.ended();
        ctx.fireChannelInactive();
    }

    /** The access log's fields: what the connection asked for last, its bytes and its age. */
    private AccessRecord accessRecord(ConnectionHandler counters) {
        StreamKey key = session.requestedKey;
        return new AccessRecord(
                "rtmp",
                session.client,
                session.app,
                key == null ? null : key.name(),
                AccessRecord.role(session.requestedRole),
                counters == null ? 0 : counters.bytesIn(),
                counters == null ? 0 : counters.bytesOut(),
                counters == null ? session.ageMillis() : counters.ageMillis());
    }

    /** Why the connection closed (so far), for tests and the API; null while open. */
    String closeReason() {
        return session.disconnector.reasonText();
    }

    /** What the connection did, for the close log line: its last publish or play, else its app. */
    private String describeRole() {
        if (session.lastActivity != null) {
            return session.lastActivity;
        }
        return session.app == null ? "unconnected" : "connected to " + session.app;
    }

    /**
     * The delivery figures of the connection's latest play, for the close log line: empty if it never
     * played (or published since). Once delivery has ended, offered = sent + dropped + discarded.
     */
    private String deliverySummary() {
        Delivery sub = session.lastDelivery;
        if (sub == null) {
            return "";
        }
        return "; frames offered " + sub.framesOffered() + ", sent " + sub.framesSent() + ", dropped "
                + sub.framesDropped() + ", discarded " + sub.framesDiscarded();
    }

    /** Writes what a player's merged write holds back, then closes for {@code reason}. On the channel's loop. */
    public void closeAfterPending(CloseReason reason) {
        play.sendPending();
        session.close(reason, null);
    }

    /**
     * The operator's view of this connection ({@code /api/v1/clients}): no query of the app or the
     * stream. Call on the connection's event loop.
     */
    public ClientSnapshot snapshot() {
        ConnectionHandler counters = session.channel.pipeline().get(ConnectionHandler.class);
        Delivery sub = play.delivery();
        Role role = session.role();
        return new ClientSnapshot(
                session.channel.id().asShortText(),
                role.name().toLowerCase(Locale.ROOT),
                session.remote,
                session.app,
                session.activeKey == null ? null : session.activeKey.name(),
                counters == null ? 0 : counters.bytesIn(),
                counters == null ? 0 : counters.bytesOut(),
                session.ageMillis(),
                role == Role.PLAYER && sub != null,
                sub == null ? 0 : sub.framesOffered(),
                sub == null ? 0 : sub.framesSent(),
                sub == null ? 0 : sub.framesDropped(),
                role == Role.PLAYER
                        ? ClientSnapshot.RTMP_PLAY
                        : role == Role.PUBLISHER ? ClientSnapshot.FMLE_PUBLISH : ClientSnapshot.UNKNOWN,
                QueryParams.redact(session.tcUrl),
                QueryParams.redact(session.pageUrl),
                counters == null ? 0 : counters.recvBitsPerSecond(),
                counters == null ? 0 : counters.sendBitsPerSecond());
    }

    /** An operator kicks the client ({@code DELETE /api/v1/clients/{id}}). On the channel's loop. */
    public void kick() {
        session.close(CloseReason.KICKED, "by an operator through the API");
    }
}
