package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.security.HookEvent;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.security.Verdict;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.SourceMessages;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeException;
import io.github.rtmpedge.rtmp.message.AggregateMessage;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UnknownMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection on the server side: the NetConnection and NetStream commands of a publisher
 * or a player (RTMP spec 7.2), and the glue between its channel and the live streams.
 */
public final class RtmpSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);

    /** What the connection does; a connection publishes or plays one stream at a time. */
    enum Role { NONE, PUBLISHER, PLAYER }

    private final StreamRegistry streams;
    private final SessionSettings settings;
    private final PublishForwarder forwarder;
    private final AmfLimits amfLimits;
    private final EdgeMetrics metrics;
    private final Gatekeeper gatekeeper;
    private final long openedNanos = System.nanoTime();
    private final CommandRateLimit commandRate;
    private boolean unknownLogged;

    /** Commands a client may send while a security decision is pending; more is a protocol error. */
    static final int MAX_HELD_COMMANDS = 32;

    private Channel channel;
    private String remote = "?";
    private String app;
    private String appQuery = "";
    private String tcUrl = "";
    private String pageUrl = "";
    private InetAddress peer;
    /** A security decision (an HTTP hook) is pending: reading is off and commands wait in {@link #held}. */
    private boolean deciding;
    private final ArrayDeque<CommandMessage> held = new ArrayDeque<>();
    private StreamName activeName; // with its query: for the on_unpublish and on_stop hooks
    private int nextStreamId = 1;
    private Role role = Role.NONE;
    private String closeReason;
    private String lastActivity;
    private StreamKey activeKey; // what the connection publishes or plays now, for snapshot()

    // Publishing
    private LiveStream published;
    private Publisher publisher;
    private int publishStreamId;
    private PublishForwarder.Forward forward;
    private PublishPace pace;

    // Playing
    private LiveStream played;
    private ChannelSubscriber subscriber;
    private ChannelSubscriber lastSubscriber; // the latest play's, for its delivery figures on the close line
    private int playStreamId;
    private long acknowledged; // the peer's last Acknowledgement sequence number (bytes it received, mod 2^32)
    private boolean ackStallReported;
    private ScheduledFuture<?> ackCheck;

    public RtmpSession(StreamRegistry streams, SessionSettings settings, PublishForwarder forwarder, AmfLimits amfLimits) {
        this(streams, settings, forwarder, amfLimits, EdgeMetrics.unscraped());
    }

    public RtmpSession(StreamRegistry streams, SessionSettings settings, PublishForwarder forwarder, AmfLimits amfLimits,
                       EdgeMetrics metrics) {
        this(streams, settings, forwarder, amfLimits, metrics, Gatekeeper.OPEN);
    }

    public RtmpSession(StreamRegistry streams, SessionSettings settings, PublishForwarder forwarder, AmfLimits amfLimits,
                       EdgeMetrics metrics, Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
        this.metrics = metrics;
        this.streams = streams;
        this.settings = settings;
        this.forwarder = forwarder;
        this.amfLimits = amfLimits;
        this.commandRate = new CommandRateLimit(settings.maxCommandsPerSecond(), settings.commandBurst(), openedNanos);
    }

    /** The source handle a publisher gives its stream. */
    private final class Publisher implements LiveStream.Source {
        /** Messages for a stream on another loop: one task per batch, not per message. */
        private final Queue<PayloadMessage> toStream = PlatformDependent.newMpscQueue();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        /** On the connection's loop: {@code message} (retained here) goes to {@code stream}'s loop. */
        void handOver(LiveStream stream, PayloadMessage message) {
            toStream.offer(message.retain());
            if (scheduled.compareAndSet(false, true)) {
                stream.loop().execute(() -> feedHandedOver(stream));
            }
        }

        private void feedHandedOver(LiveStream stream) {
            scheduled.set(false);
            for (PayloadMessage m; (m = toStream.poll()) != null; ) {
                try {
                    SourceMessages.feed(stream, this, m, channel.alloc(), amfLimits);
                } finally {
                    m.release();
                }
            }
        }

        @Override
        public String describe() {
            return "publisher " + remote;
        }

        @Override
        public String origin() {
            return remote;
        }
    }

    Role role() {
        return role;
    }

    /** The role tag this connection's bytes and messages are counted under. */
    EdgeMetrics.Role meterRole() {
        return switch (role) {
            case PUBLISHER -> EdgeMetrics.Role.PUBLISHER;
            case PLAYER -> EdgeMetrics.Role.PLAYER;
            case NONE -> EdgeMetrics.Role.NONE;
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        SocketAddress address = channel.remoteAddress();
        remote = address == null ? "?" : address.toString().replaceFirst("^/", "");
        peer = address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        metrics.messageReceived(meterRole());
        try {
            if (closeReason != null) {
                return; // closing: the rest of the batch the decoders produced is not acted upon
            }
            if (deciding) {
                hold(msg); // nothing is acted on, and no media accepted, before the decision
            } else if (msg instanceof CommandMessage command) {
                onCommand(command);
            } else if (msg instanceof VideoMessage || msg instanceof AudioMessage || msg instanceof DataMessage
                    || msg instanceof AggregateMessage) {
                onPublished((PayloadMessage) msg);
            } else if (msg instanceof UserControlMessage.PingRequest ping) {
                ctx.writeAndFlush(new UserControlMessage.PingResponse(ping.time()));
            } else if (msg instanceof ProtocolControlMessage.Acknowledgement ack) {
                acknowledged = ack.sequenceNumber();
            } else if (msg instanceof UnknownMessage unknown) {
                onUnknown(unknown);
            } else if (msg instanceof RtmpMessage other && log.isDebugEnabled()) {
                log.debug("{}: {}", remote, other instanceof ProtocolControlMessage ? other : other.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
        } else if (evt instanceof HandshakeCompleted done) {
            log.debug("{}: handshake done ({})", remote, done.digest() ? "digest" : "simple");
        } else if (evt instanceof IdleStateEvent) {
            // A waiting player legitimately sends nothing; anyone else silent this long is gone.
            if (role != Role.PLAYER) {
                close("idle: no data received within the idle timeout");
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandshakeException) {
            metrics.handshakeFailed(handshakeFailure(cause.getMessage()));
            close("protocol error: " + cause.getMessage());
        } else if (cause instanceof RtmpCodecException) {
            metrics.decoderError(cause instanceof RtmpLimitExceededException
                    ? EdgeMetrics.DecoderError.LIMIT_EXCEEDED : EdgeMetrics.DecoderError.MALFORMED);
            close("protocol error: " + cause.getMessage());
        } else if (cause instanceof java.io.IOException) {
            close("I/O error: " + cause.getMessage());
        } else {
            log.warn("{}: unexpected error, closing", remote, cause);
            close("internal error: " + cause);
        }
    }

    /** The handshake handler says what went wrong in its message ("handshake timed out after …", …). */
    private static EdgeMetrics.HandshakeFailure handshakeFailure(String message) {
        if (message != null && message.startsWith("handshake timed out")) {
            return EdgeMetrics.HandshakeFailure.TIMEOUT;
        }
        if (message != null && message.startsWith("connection closed")) {
            return EdgeMetrics.HandshakeFailure.PEER_CLOSED;
        }
        return EdgeMetrics.HandshakeFailure.INVALID;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (subscriber != null) {
            subscriber.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        held.clear();
        stopPublishing(false);
        stopPlaying(false);
        if (closeReason == null) {
            closeReason = "peer closed";
        }
        ctx.fireChannelInactive();
    }

    /** Why the connection closed, for the close log line. */
    String closeReason() {
        return closeReason;
    }

    /** What the connection did, for the close log line: its last publish or play, else its app. */
    String describeRole() {
        if (lastActivity != null) {
            return lastActivity;
        }
        return app == null ? "unconnected" : "connected to " + app;
    }

    /** Writes and flushes what the player's subscriber holds back for a merged write. On the channel's loop. */
    void sendPending() {
        ChannelSubscriber sub = subscriber;
        if (sub != null) {
            sub.send();
        }
    }

    /**
     * The delivery figures of the connection's latest play, for the close log line: empty if it never
     * played (or published since). Once delivery has ended, offered = sent + dropped + discarded.
     */
    String deliverySummary() {
        ChannelSubscriber sub = lastSubscriber;
        if (sub == null) {
            return "";
        }
        return "; frames offered " + sub.framesOffered() + ", sent " + sub.framesSent() + ", dropped " + sub.framesDropped()
                + ", discarded " + sub.framesDiscarded();
    }

    private void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        channel.close();
    }

    /** A message type nobody defined (or a reserved one): ignored, counted, logged once per connection. */
    private void onUnknown(UnknownMessage unknown) {
        metrics.violation(EdgeMetrics.Violation.UNKNOWN_MESSAGE);
        if (!unknownLogged) {
            unknownLogged = true;
            log.warn("{}: ignoring message of unknown type {} ({} bytes); further unknown messages on this connection"
                    + " are only counted", remote, unknown.typeId(), unknown.content().readableBytes());
        }
    }

    // ---- commands ---------------------------------------------------------------------------

    private void onCommand(CommandMessage message) {
        Command command = message.command();
        if (!commandRate.tryAcquire(System.nanoTime())) {
            metrics.violation(EdgeMetrics.Violation.COMMAND_FLOOD);
            log.warn("{}: command flood: more than {} commands a second (burst {}); last was {}", remote,
                    commandRate.perSecond(), commandRate.burst(), command.name());
            close("command flood: over " + commandRate.perSecond() + " commands a second");
            return;
        }
        int msid = message.messageStreamId();
        switch (command.name()) {
            case ConnectRequest.NAME -> onConnect(command);
            case Commands.CREATE_STREAM -> {
                if (connected("createStream")) {
                    reply(0, Commands.createStreamResult(command.transactionId(), nextStreamId++));
                    channel.flush(); // the client waits for the stream id before it sends publish or play
                }
            }
            case Commands.RELEASE_STREAM, Commands.FC_PUBLISH, Commands.CHECK_BW, Commands.GET_STREAM_LENGTH -> replyNull(msid, command);
            case Commands.FC_UNPUBLISH -> {
                replyNull(msid, command);
                stopPublishing(true);
            }
            case PublishRequest.NAME -> onPublish(msid, command);
            case PlayRequest.NAME -> onPlay(msid, command);
            case Commands.DELETE_STREAM, Commands.CLOSE_STREAM -> {
                int target = command.name().equals(Commands.DELETE_STREAM) ? deleteTarget(command, msid) : msid;
                if (role == Role.PUBLISHER && target == publishStreamId) {
                    stopPublishing(true);
                } else if (role == Role.PLAYER && target == playStreamId) {
                    stopPlaying(true);
                }
            }
            default -> log.debug("{}: ignoring command {}", remote, command.name());
        }
    }

    private static int deleteTarget(Command command, int fallback) {
        try {
            return Commands.parseDeleteStream(command);
        } catch (RtmpCodecException e) {
            return fallback;
        }
    }

    private void onConnect(Command command) {
        if (app != null) {
            metrics.violation(EdgeMetrics.Violation.OUT_OF_ORDER);
            close("protocol error: second connect on one connection");
            return;
        }
        ConnectRequest request = ConnectRequest.parse(command);
        StreamName appName = StreamName.parse(request.app());
        if (appName.name().isEmpty()) {
            reply(0, ConnectResult.rejected(Status.of(StatusCode.CONNECT_REJECTED, "No application name"))
                    .toCommand(command.transactionId()));
            channel.flush();
            close("connect rejected: empty application name");
            return;
        }
        app = appName.name();
        appQuery = appName.query();
        tcUrl = request.tcUrl() == null ? "" : request.tcUrl();
        pageUrl = request.pageUrl() == null ? "" : request.pageUrl();
        decide(gatekeeper.connect(hookEvent("on_connect", null)), "connect " + app, verdict -> {
            if (verdict.allowed()) {
                acceptConnect(request, command);
            } else {
                refused(EdgeMetrics.AuthAction.CONNECT, app, verdict);
                reply(0, ConnectResult.rejected(Status.of(StatusCode.CONNECT_REJECTED, "Connection rejected"))
                        .toCommand(command.transactionId()));
                channel.flush();
                close("connect rejected: " + verdict.reason().tag());
            }
        });
    }

    private void acceptConnect(ConnectRequest request, Command command) {
        // Window, bandwidth and chunk size before the result, as servers customarily do (7.2.1.1).
        channel.write(new ProtocolControlMessage.WindowAcknowledgementSize(settings.windowAckSize()));
        channel.write(new ProtocolControlMessage.SetPeerBandwidth(settings.windowAckSize(),
                ProtocolControlMessage.LimitType.DYNAMIC));
        channel.write(new ProtocolControlMessage.SetChunkSize(settings.chunkSize()));
        reply(0, ConnectResult.success(request.objectEncoding()).toCommand(command.transactionId()));
        reply(0, Commands.onBwDone());
        channel.flush();
        log.info("{}: connected to app {} (flashVer {}, tcUrl {})", remote, app, request.flashVer(),
                QueryParams.redact(request.tcUrl()));
    }

    private void onPublish(int msid, Command command) {
        if (!connected("publish") || role != Role.NONE) {
            return;
        }
        PublishRequest request = PublishRequest.parse(command);
        StreamName name = StreamName.parse(request.name());
        if (name.name().isEmpty()) {
            rejectPublish(msid, "Empty stream name");
            return;
        }
        StreamKey key = new StreamKey(app, name.name());
        decide(gatekeeper.publish(peer, hookEvent("on_publish", name)), "publish " + key, verdict -> {
            if (role != Role.NONE) {
                return;
            }
            if (!verdict.allowed()) {
                refused(EdgeMetrics.AuthAction.PUBLISH, key.toString(), verdict);
                rejectPublish(msid, "Publishing " + key + " is not allowed");
                return;
            }
            role = Role.PUBLISHER;
            activeKey = key;
            activeName = name;
            publishStreamId = msid;
            Publisher source = new Publisher();
            publisher = source;
            attachPublisher(key, name, msid, source);
        });
    }

    /** {@code source} is passed along, never read from the field on the stream's loop (another thread). */
    private void attachPublisher(StreamKey key, StreamName name, int msid, Publisher source) {
        LiveStream stream = streams.getOrCreate(key, channel.eventLoop());
        stream.loop().execute(() -> {
            if (stream.closed()) {
                channel.eventLoop().execute(() -> attachPublisher(key, name, msid, source)); // raced with its removal
                return;
            }
            boolean attached = stream.attach(source);
            if (attached) {
                stream.query(name.query());
            }
            channel.eventLoop().execute(() -> published(stream, source, name, msid, attached));
        });
    }

    private void published(LiveStream stream, Publisher source, StreamName name, int msid, boolean attached) {
        boolean current = publisher == source; // not stopped (FCUnpublish, deleteStream, close) while attaching
        if (!attached) {
            if (current) {
                role = Role.NONE;
                activeKey = null;
                publisher = null;
                metrics.violation(EdgeMetrics.Violation.STREAM_BUSY);
                log.warn("{}: refusing to publish {}: it already has a publisher", remote, stream.key());
                rejectPublish(msid, "Stream " + stream.key() + " is already being published");
            }
            return;
        }
        if (!channel.isActive() || !current) {
            stream.loop().execute(() -> stream.detach(source, true));
            return;
        }
        published = stream;
        pace = new PublishPace(settings.publishLeadWarnMillis(), settings.publishLeadMaxMillis());
        lastActivity = "publisher of " + stream.key();
        lastSubscriber = null;
        channel.write(new UserControlMessage.StreamBegin(msid));
        reply(msid, Commands.onStatus(Status.of(StatusCode.PUBLISH_START, "Started publishing stream " + name.name())
                .with("clientid", clientId())));
        channel.flush();
        log.info("{}: publishing {}", remote, stream.key());
        if (forwarder != null) {
            forward = forwarder.start(stream, app + (appQuery.isEmpty() ? "" : "?" + appQuery), name);
        }
    }

    private void rejectPublish(int msid, String why) {
        reply(msid, Commands.onStatus(Status.of(StatusCode.PUBLISH_BAD_NAME, why)));
        channel.flush();
        close("publish rejected: " + why);
    }

    private void stopPublishing(boolean notifyClient) {
        if (role != Role.PUBLISHER || publisher == null) {
            return;
        }
        LiveStream stream = published;
        Publisher source = publisher;
        publisher = null;
        published = null;
        role = Role.NONE;
        activeKey = null;
        if (forward != null) {
            forward.stop();
            forward = null;
        }
        if (stream != null) {
            stream.loop().execute(() -> stream.detach(source, true));
            log.info("{}: stopped publishing {}", remote, stream.key());
            gatekeeper.unpublished(hookEvent("on_unpublish", activeName));
        }
        if (notifyClient && channel.isActive()) {
            reply(publishStreamId, Commands.onStatus(Status.of(StatusCode.UNPUBLISH_SUCCESS, "Stopped publishing")));
            channel.flush();
        }
    }

    private void onPlay(int msid, Command command) {
        if (!connected("play") || role != Role.NONE) {
            return;
        }
        PlayRequest request = PlayRequest.parse(command);
        StreamName name = StreamName.parse(request.name());
        if (name.name().isEmpty()) {
            reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_STREAM_NOT_FOUND, "Empty stream name")));
            channel.flush();
            return;
        }
        StreamKey key = new StreamKey(app, name.name());
        decide(gatekeeper.play(peer, hookEvent("on_play", name)), "play " + key, verdict -> {
            if (role != Role.NONE) {
                return;
            }
            if (verdict.allowed()) {
                startPlaying(msid, key, name);
            } else {
                refused(EdgeMetrics.AuthAction.PLAY, key.toString(), verdict);
                reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_FAILED, "Playing " + key + " is not allowed")));
                channel.flush();
                close("play rejected: " + verdict.reason().tag());
            }
        });
    }

    private void startPlaying(int msid, StreamKey key, StreamName name) {
        role = Role.PLAYER;
        activeKey = key;
        activeName = name;
        lastActivity = "player of " + key;
        playStreamId = msid;
        // Status first; the media the subscriber delivers is written by later tasks on this loop.
        channel.write(new UserControlMessage.StreamBegin(msid));
        reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_RESET, "Playing and resetting " + name.name())
                .with("details", name.name()).with("clientid", clientId())));
        reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_START, "Started playing " + name.name())
                .with("details", name.name()).with("clientid", clientId())));
        channel.write(Messages.dataMessage(channel.alloc(), 0, msid, DataMessages.rtmpSampleAccess(true, true)));
        channel.write(Messages.dataMessage(channel.alloc(), 0, msid,
                List.of(Commands.ON_STATUS, Status.of(StatusCode.DATA_START, "Data start").toObject())));
        channel.flush();
        subscriber = new ChannelSubscriber(channel, msid, settings.queueLengthMillis(), settings.queueMaxBytes(),
                "player " + remote + " of " + key, new PlayerListener(msid), metrics.subscriber(EdgeMetrics.Role.PLAYER));
        lastSubscriber = subscriber;
        subscribe(key, name, subscriber);
        if (settings.ackWarnWindows() > 0 || settings.ackMaxWindows() > 0) {
            ackCheck = channel.eventLoop().scheduleAtFixedRate(this::checkAcknowledgements, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Bytes handed to the socket that the player has not acknowledged, against the windows we allow
     * (RTMP spec 5.4.3). Once a second per player, not per message.
     */
    private void checkAcknowledgements() {
        ConnectionHandler counters = channel.pipeline().get(ConnectionHandler.class);
        io.netty.channel.ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        if (role != Role.PLAYER || counters == null || pending == null) {
            return;
        }
        long sent = counters.bytesOut() - pending.totalPendingWriteBytes();
        long unacknowledged = (sent - acknowledged) & 0xFFFFFFFFL;
        long window = settings.windowAckSize();
        if (!ackStallReported && settings.ackWarnWindows() > 0 && unacknowledged > settings.ackWarnWindows() * window) {
            ackStallReported = true;
            metrics.violation(EdgeMetrics.Violation.ACK_STALLED);
            log.warn("{}: player stopped acknowledging: {} bytes unacknowledged (ack_warn_windows {} x {}, last ack {})",
                    remote, unacknowledged, settings.ackWarnWindows(), window, acknowledged);
        }
        if (settings.ackMaxWindows() > 0 && unacknowledged > settings.ackMaxWindows() * window) {
            log.warn("{}: disconnecting player that stopped acknowledging: {} bytes unacknowledged (ack_max_windows {} x {})",
                    remote, unacknowledged, settings.ackMaxWindows(), window);
            close("not acknowledging: " + unacknowledged + " bytes unacknowledged");
        }
    }

    private void stopAckCheck() {
        if (ackCheck != null) {
            ackCheck.cancel(false);
            ackCheck = null;
        }
    }

    private void subscribe(StreamKey key, StreamName name, ChannelSubscriber sub) {
        LiveStream stream = streams.getOrCreate(key, channel.eventLoop());
        stream.loop().execute(() -> {
            if (!channel.isActive() || sub != subscriber) {
                stream.closeIfUnused();
                return;
            }
            if (stream.source() == null && stream.query().isEmpty()) {
                stream.query(name.query()); // travels to the origin with the pull
            }
            if (!stream.subscribe(sub)) {
                channel.eventLoop().execute(() -> subscribe(key, name, sub)); // raced with its removal
                return;
            }
            channel.eventLoop().execute(() -> {
                played = stream;
                if (sub != subscriber) { // stopped in the meantime
                    stream.loop().execute(() -> {
                        stream.unsubscribe(sub);
                        channel.eventLoop().execute(sub::releaseAll);
                    });
                }
            });
        });
    }

    private final class PlayerListener implements ChannelSubscriber.Listener {
        private final int msid;

        PlayerListener(int msid) {
            this.msid = msid;
        }

        @Override
        public void sourceEnded(boolean notify) {
            if (notify && channel.isActive()) {
                reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_UNPUBLISH_NOTIFY, "The stream was unpublished")));
                channel.write(new UserControlMessage.StreamEof(msid));
                channel.flush();
            }
        }

        @Override
        public void streamFailed(String reason) {
            if (channel.isActive()) {
                reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_FAILED, reason)));
                channel.flush();
            }
            close("stream failed: " + reason);
        }

        @Override
        public void tooSlow(String reason) {
            log.warn("{}: disconnecting slow player: {}", remote, reason);
            close("too slow: " + reason);
        }
    }

    /**
     * Stops playing. {@code answer} (the player closed or deleted its stream): everything the stream
     * offered so far is written first, then {@code NetStream.Play.Stop} and StreamEOF (RTMP spec
     * 7.1.7), so the player knows it has all of it; otherwise (the connection went away) what waits is
     * released.
     */
    private void stopPlaying(boolean answer) {
        stopAckCheck();
        if (role != Role.PLAYER) {
            return;
        }
        role = Role.NONE;
        activeKey = null;
        ChannelSubscriber sub = subscriber;
        subscriber = null;
        LiveStream stream = played;
        played = null;
        gatekeeper.stopped(hookEvent("on_stop", activeName));
        if (sub == null) {
            return;
        }
        int msid = playStreamId;
        if (!answer) {
            sub.close();
        }
        if (stream != null) {
            stream.loop().execute(() -> {
                stream.unsubscribe(sub);
                channel.eventLoop().execute(() -> {
                    if (answer) {
                        endOfStream(sub, msid);
                    }
                    sub.releaseAll();
                });
            });
        } else if (answer) {
            // Not subscribed yet: subscribe() sees the subscriber replaced and undoes itself.
            sub.close();
            endOfStream(sub, msid);
        }
    }

    private void endOfStream(ChannelSubscriber sub, int msid) {
        sub.finish();
        if (channel.isActive()) {
            reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_STOP, "Stopped playing")));
            channel.write(new UserControlMessage.StreamEof(msid));
            channel.flush();
        }
    }

    // ---- media from a publisher ----------------------------------------------------------------

    /** Media, data or an aggregate from a publisher: stream input, on the stream's event loop. */
    private void onPublished(PayloadMessage message) {
        LiveStream stream = published;
        if (role != Role.PUBLISHER || stream == null || message.messageStreamId() != publishStreamId) {
            return; // before Publish.Start or on another stream: not accepted
        }
        if (!(message instanceof DataMessage) && !paced(message.timestamp())) {
            return;
        }
        Publisher source = publisher;
        if (stream.loop().inEventLoop()) {
            SourceMessages.feed(stream, source, message, channel.alloc(), amfLimits);
        } else {
            source.handOver(stream, message);
        }
    }

    /** Checks the publisher's pace; false when it ran so far ahead that the connection is closing. */
    private boolean paced(long timestamp) {
        switch (pace.observe(timestamp, System.nanoTime())) {
            case AHEAD -> {
                metrics.violation(EdgeMetrics.Violation.PUBLISH_AHEAD);
                log.warn("{}: publishing {} faster than real time: media {} ms ahead of the wall clock (publish_lead_warn {} ms)",
                        remote, published.key(), pace.leadMillis(System.nanoTime()), settings.publishLeadWarnMillis());
                return true;
            }
            case TOO_FAR_AHEAD -> {
                long lead = pace.leadMillis(System.nanoTime());
                log.warn("{}: disconnecting publisher of {}: media {} ms ahead of the wall clock (publish_lead_max {} ms)",
                        remote, published.key(), lead, settings.publishLeadMaxMillis());
                close("publishing faster than real time: media " + lead + " ms ahead of the wall clock");
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    // ---- security ---------------------------------------------------------------------------

    /**
     * Runs {@code then} with the verdict: at once if it is known, else (an HTTP hook) on this
     * connection's loop when it arrives, with reading off meanwhile so that nothing is accepted
     * before the decision. A connection that closed meanwhile is left alone (nothing was attached).
     */
    private void decide(CompletableFuture<Verdict> verdict, String what, Consumer<Verdict> then) {
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            then.accept(verdict.join());
            return;
        }
        deciding = true;
        channel.config().setAutoRead(false);
        verdict.whenComplete((v, failure) -> channel.eventLoop().execute(() -> {
            deciding = false;
            if (!channel.isActive()) {
                held.clear();
                log.info("{}: the decision on {} came after the connection closed; nothing to do", remote, what);
                return;
            }
            then.accept(failure == null ? v
                    : Verdict.refuse(EdgeMetrics.AuthReason.HOOK_ERROR, QueryParams.redact(failure.toString())));
            while (!deciding && channel.isActive() && closeReason == null && !held.isEmpty()) {
                onCommand(held.poll());
            }
            if (!deciding && channel.isActive()) {
                channel.config().setAutoRead(true);
            }
        }));
    }

    /** A message that arrived while a decision is pending: commands wait (a few), anything else is dropped. */
    private void hold(Object msg) {
        if (!(msg instanceof CommandMessage command)) {
            return;
        }
        if (held.size() >= MAX_HELD_COMMANDS) {
            held.clear();
            close("protocol error: more than " + MAX_HELD_COMMANDS + " commands while authorisation was pending");
            return;
        }
        held.add(command);
    }

    /** The refusal's log line (who, what, why; never a token) and its count. */
    private void refused(EdgeMetrics.AuthAction action, String what, Verdict verdict) {
        metrics.authRejected(action, verdict.reason());
        log.warn("{}: {} {} refused: {} ({})", remote, action.tag(), what, verdict.reason().tag(), verdict.detail());
    }

    /** The hook body of this connection; {@code name} null for on_connect. */
    private HookEvent hookEvent(String action, StreamName name) {
        return new HookEvent(action, channel.id().asShortText(), peer == null ? remote : peer.getHostAddress(), app,
                name == null ? "" : name.name(), name == null || name.query().isEmpty() ? "" : "?" + name.query(), tcUrl,
                pageUrl);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private boolean connected(String what) {
        if (app == null) {
            metrics.violation(EdgeMetrics.Violation.OUT_OF_ORDER);
            close("protocol error: " + what + " before connect");
            return false;
        }
        return true;
    }

    private void replyNull(int msid, Command command) {
        if (command.transactionId() != 0) {
            reply(msid, Commands.result(command.transactionId(), null));
            channel.flush();
        }
    }

    private void reply(int msid, Command command) {
        channel.write(new CommandMessage(msid, command));
    }

    private String clientId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    /**
     * The operator's view of this connection ({@code /api/v1/clients}): no query of the app or the
     * stream. Call on the connection's event loop.
     */
    public ClientSnapshot snapshot() {
        ConnectionHandler counters = channel.pipeline().get(ConnectionHandler.class);
        ChannelSubscriber sub = subscriber;
        return new ClientSnapshot(channel.id().asShortText(), role.name().toLowerCase(java.util.Locale.ROOT), remote,
                app, activeKey == null ? null : activeKey.name(),
                counters == null ? 0 : counters.bytesIn(), counters == null ? 0 : counters.bytesOut(), ageMillis(),
                role == Role.PLAYER && sub != null, sub == null ? 0 : sub.framesOffered(), sub == null ? 0 : sub.framesSent(),
                sub == null ? 0 : sub.framesDropped());
    }

    long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }
}
