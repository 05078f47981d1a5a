package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.EdgeMetrics;
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
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.List;
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
    private final long openedNanos = System.nanoTime();

    private Channel channel;
    private String remote = "?";
    private String app;
    private String appQuery = "";
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

    // Playing
    private LiveStream played;
    private ChannelSubscriber subscriber;
    private ChannelSubscriber lastSubscriber; // the latest play's, for its delivery figures on the close line
    private int playStreamId;

    public RtmpSession(StreamRegistry streams, SessionSettings settings, PublishForwarder forwarder, AmfLimits amfLimits) {
        this(streams, settings, forwarder, amfLimits, EdgeMetrics.unscraped());
    }

    public RtmpSession(StreamRegistry streams, SessionSettings settings, PublishForwarder forwarder, AmfLimits amfLimits,
                       EdgeMetrics metrics) {
        this.metrics = metrics;
        this.streams = streams;
        this.settings = settings;
        this.forwarder = forwarder;
        this.amfLimits = amfLimits;
    }

    /** The source handle a publisher gives its stream. */
    private final class Publisher implements LiveStream.Source {
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
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        metrics.messageReceived(meterRole());
        try {
            if (msg instanceof CommandMessage command) {
                onCommand(command);
            } else if (msg instanceof VideoMessage || msg instanceof AudioMessage || msg instanceof DataMessage
                    || msg instanceof AggregateMessage) {
                onPublished((PayloadMessage) msg);
            } else if (msg instanceof UserControlMessage.PingRequest ping) {
                ctx.writeAndFlush(new UserControlMessage.PingResponse(ping.time()));
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

    // ---- commands ---------------------------------------------------------------------------

    private void onCommand(CommandMessage message) {
        Command command = message.command();
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
        // Window, bandwidth and chunk size before the result, as servers customarily do (7.2.1.1).
        channel.write(new ProtocolControlMessage.WindowAcknowledgementSize(settings.windowAckSize()));
        channel.write(new ProtocolControlMessage.SetPeerBandwidth(settings.windowAckSize(),
                ProtocolControlMessage.LimitType.DYNAMIC));
        channel.write(new ProtocolControlMessage.SetChunkSize(settings.chunkSize()));
        reply(0, ConnectResult.success(request.objectEncoding()).toCommand(command.transactionId()));
        reply(0, Commands.onBwDone());
        channel.flush();
        log.info("{}: connected to app {} (flashVer {}, tcUrl {})", remote, app, request.flashVer(), request.tcUrl());
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
        role = Role.PUBLISHER;
        activeKey = key;
        publishStreamId = msid;
        Publisher source = new Publisher();
        publisher = source;
        attachPublisher(key, name, msid, source);
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
                rejectPublish(msid, "Stream " + stream.key() + " is already being published");
            }
            return;
        }
        if (!channel.isActive() || !current) {
            stream.loop().execute(() -> stream.detach(source, true));
            return;
        }
        published = stream;
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
        role = Role.PLAYER;
        activeKey = key;
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
        if (role != Role.PLAYER) {
            return;
        }
        role = Role.NONE;
        activeKey = null;
        ChannelSubscriber sub = subscriber;
        subscriber = null;
        LiveStream stream = played;
        played = null;
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
        Publisher source = publisher;
        if (stream.loop().inEventLoop()) {
            SourceMessages.feed(stream, source, message, channel.alloc(), amfLimits);
        } else {
            PayloadMessage retained = message.retain();
            stream.loop().execute(() -> {
                try {
                    SourceMessages.feed(stream, source, retained, channel.alloc(), amfLimits);
                } finally {
                    retained.release();
                }
            });
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private boolean connected(String what) {
        if (app == null) {
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
