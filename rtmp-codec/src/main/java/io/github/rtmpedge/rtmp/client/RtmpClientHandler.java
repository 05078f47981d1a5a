package io.github.rtmpedge.rtmp.client;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig.Mode;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The client side of an RTMP conversation as a state machine over {@link Phase}s: after the
 * handshake, [Set Chunk Size,] connect; then [releaseStream, FCPublish,] createStream; then play
 * [+ Set Buffer Length] or publish; started on NetStream.Play.Start / NetStream.Publish.Start.
 * Along the way it answers pings (RTMP spec 7.1.7) and acknowledges (5.4.3), and reports to its
 * {@link RtmpClientListener}; it fails once, closing the channel, on a refusal, an error-level
 * status, an exception, a phase timeout or the connection closing.
 *
 * <p>It goes last in a pipeline of the codec's client handlers ({@link RtmpClientPipeline}). One
 * per channel; its state is touched only on the channel's event loop ({@link #phase()},
 * {@link #streamId()} and {@link #fail} may be called from anywhere).
 */
public final class RtmpClientHandler extends ChannelInboundHandlerAdapter {

    // Transaction ids numbered as ffmpeg does; play and publish use 0 (RTMP spec 7.2.2.1, 7.2.2.6).
    static final double TX_CONNECT = 1;
    static final double TX_RELEASE_STREAM = 2;
    static final double TX_FC_PUBLISH = 3;
    static final double TX_CREATE_STREAM_PLAY = 2;
    static final double TX_CREATE_STREAM_PUBLISH = 4;

    private final RtmpClientConfig config;
    private final RtmpClientListener listener;
    private final double createStreamTx;
    private volatile ChannelHandlerContext ctx;
    private volatile Phase phase = Phase.HANDSHAKE;
    private volatile int streamId = -1;
    private ScheduledFuture<?> timer;

    public RtmpClientHandler(RtmpClientConfig config, RtmpClientListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.createStreamTx = config.mode() == Mode.PLAY ? TX_CREATE_STREAM_PLAY : TX_CREATE_STREAM_PUBLISH;
    }

    public RtmpClientConfig config() {
        return config;
    }

    /** The current phase. */
    public Phase phase() {
        return phase;
    }

    /** The message stream id createStream returned; -1 before. */
    public int streamId() {
        return streamId;
    }

    /** The channel, once the handler is in a pipeline. */
    public Channel channel() {
        return ctx.channel();
    }

    /**
     * Ends the connection: reports {@code reason} as the failure (unless one was reported already)
     * and closes the channel.
     */
    public void fail(String reason) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("not in a pipeline yet");
        }
        if (!c.executor().inEventLoop()) {
            c.executor().execute(() -> fail(reason));
            return;
        }
        if (phase != Phase.CLOSED) {
            report(reason);
            c.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted) {
            if (phase == Phase.HANDSHAKE) {
                connect();
            }
        } else if (evt instanceof AcknowledgementDue due) {
            if (config.acknowledge()) {
                ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void connect() {
        if (config.chunkSize() > 0) {
            // Before connect, so that connect already goes out in the larger chunks.
            ctx.write(new ProtocolControlMessage.SetChunkSize(config.chunkSize()));
        }
        ConnectRequest connect = ConnectRequest.of(config.app(), config.tcUrl(), config.flashVer(), null, null, 0);
        ctx.writeAndFlush(new CommandMessage(0, connect.toCommand(TX_CONNECT)));
        enter(Phase.CONNECT);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CommandMessage command) {
                onCommand(command.command());
            } else if (msg instanceof PayloadMessage payload) {
                if (phase == Phase.STARTED && config.mode() == Mode.PLAY && payload.messageStreamId() == streamId) {
                    listener.media(this, payload);
                }
            } else if (msg instanceof UserControlMessage.PingRequest ping) {
                ctx.writeAndFlush(new UserControlMessage.PingResponse(ping.time()));
            } else if (msg instanceof UserControlMessage event && phase != Phase.CLOSED) {
                listener.streamEvent(this, event);
            }
            // Protocol control messages: the chunk layer has applied those that concern it.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onCommand(Command command) {
        switch (command.name()) {
            case Commands.RESULT -> onResult(command);
            case Commands.ERROR -> onError(command);
            case Commands.ON_STATUS -> onStatus(Commands.parseOnStatus(command));
            default -> {
                // onBWDone, onFCPublish, _checkbw, answers to releaseStream and FCPublish: nothing to do
            }
        }
    }

    private void onResult(Command command) {
        if (phase == Phase.CONNECT && command.transactionId() == TX_CONNECT) {
            if (config.mode() == Mode.PUBLISH) {
                // As ffmpeg and SRS's edge do; servers that need neither ignore them.
                ctx.write(new CommandMessage(0, Commands.releaseStream(TX_RELEASE_STREAM, config.streamName())));
                ctx.write(new CommandMessage(0, Commands.fcPublish(TX_FC_PUBLISH, config.streamName())));
            }
            ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(createStreamTx)));
            enter(Phase.CREATE_STREAM);
        } else if (phase == Phase.CREATE_STREAM && command.transactionId() == createStreamTx) {
            int id = Commands.parseCreateStreamResult(command);
            streamId = id;
            if (config.mode() == Mode.PLAY) {
                ctx.write(new CommandMessage(
                        id, PlayRequest.of(config.streamName()).toCommand(0)));
                if (config.bufferLengthMillis() >= 0) {
                    ctx.write(new UserControlMessage.SetBufferLength(id, config.bufferLengthMillis()));
                }
                ctx.flush();
            } else {
                ctx.writeAndFlush(new CommandMessage(
                        id, new PublishRequest(config.streamName(), PublishRequest.Type.LIVE).toCommand(0)));
            }
            enter(Phase.START);
        }
    }

    private void onError(Command command) {
        if (phase == Phase.CONNECT && command.transactionId() == TX_CONNECT) {
            fail("connect rejected: " + describe(ConnectResult.parse(command).info()));
        } else if (phase == Phase.CREATE_STREAM && command.transactionId() == createStreamTx) {
            fail("createStream failed");
        }
        // An _error to releaseStream or FCPublish is normal (the stream was not published yet).
    }

    private void onStatus(Status status) {
        if (phase == Phase.CLOSED) {
            return;
        }
        listener.status(this, status);
        if (phase == Phase.CLOSED) {
            return; // the listener ended it
        }
        StatusCode startCode = config.mode() == Mode.PLAY ? StatusCode.PLAY_START : StatusCode.PUBLISH_START;
        if (phase == Phase.START && startCode.code().equals(status.code())) {
            enter(Phase.STARTED);
            if (phase == Phase.STARTED) {
                listener.started(this, streamId);
            }
        } else if (Status.LEVEL_ERROR.equals(status.level())) {
            fail("server says " + describe(status));
        }
    }

    /** {@code code (description)}, or {@code ?} without a status. */
    public static String describe(Status status) {
        return status == null
                ? "?"
                : status.code() + (status.description() == null ? "" : " (" + status.description() + ")");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (phase != Phase.CLOSED) {
            listener.writabilityChanged(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof RtmpCodecException ? "protocol error: " + cause.getMessage() : String.valueOf(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase != Phase.CLOSED) {
            report(
                    phase == Phase.STARTED
                            ? "connection closed"
                            : "connection closed before " + (config.mode() == Mode.PLAY ? "Play" : "Publish")
                                    + ".Start");
        }
        ctx.fireChannelInactive();
    }

    /** Moves to {@code next}, bounding it by its timeout if one is set. */
    private void enter(Phase next) {
        cancelTimer();
        phase = next;
        Duration limit = config.timeout(next);
        if (limit != null) {
            timer = ctx.executor()
                    .schedule(
                            () -> {
                                timer = null;
                                if (phase == next) {
                                    fail(timeoutReason(next, limit));
                                }
                            },
                            limit.toNanos(),
                            TimeUnit.NANOSECONDS);
        }
        listener.phaseChanged(this, next);
    }

    private String timeoutReason(Phase timedOut, Duration limit) {
        String awaited = switch (timedOut) {
            case CONNECT -> "answer to connect";
            case CREATE_STREAM -> "answer to createStream";
            case START -> config.mode() == Mode.PLAY ? "Play.Start" : "Publish.Start";
            default -> timedOut.toString();
        };
        return "no " + awaited + " within " + limit.toMillis() + " ms";
    }

    /** Moves to {@link Phase#CLOSED} and reports the failure; the caller closes the channel. */
    private void report(String reason) {
        enter(Phase.CLOSED);
        listener.failed(this, reason);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
