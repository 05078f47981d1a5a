package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The client side of an upstream connection to an origin: connect, createStream, then play (pull)
 * or releaseStream/FCPublish/publish (push), as ffmpeg and SRS's edge do. Reports the outcome once.
 */
final class UpstreamClientHandler extends ChannelInboundHandlerAdapter {

    enum Mode { PLAY, PUBLISH }

    interface Events {
        /** Play.Start or Publish.Start arrived; {@code streamId} is the origin's message stream id. */
        void started(ChannelHandlerContext ctx, int streamId);

        /** Media or data from the origin (pull); released by the handler after the call. */
        void media(PayloadMessage message);

        /** The upstream failed or ended, before or after it started. Reported once. */
        void failed(String reason);

        /** The channel's writability changed (push: resume sending). */
        default void writabilityChanged() {
        }
    }

    private static final double TX_CONNECT = 1;
    private static final double TX_RELEASE = 2;
    private static final double TX_FC_PUBLISH = 3;
    private static final double TX_CREATE_STREAM = 4;

    private final Mode mode;
    private final String app;
    private final String tcUrl;
    private final String streamName;
    private final int chunkSize;
    private final Events events;
    private int streamId;
    private boolean started;
    private boolean done;

    /**
     * @param app        the application with its query, as sent in connect
     * @param streamName the stream name with its query, as sent in play or publish
     */
    UpstreamClientHandler(Mode mode, String app, String tcUrl, String streamName, int chunkSize, Events events) {
        this.mode = mode;
        this.app = app;
        this.tcUrl = tcUrl;
        this.streamName = streamName;
        this.chunkSize = chunkSize;
        this.events = events;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted) {
            if (mode == Mode.PUBLISH) {
                ctx.write(new ProtocolControlMessage.SetChunkSize(chunkSize));
            }
            ctx.writeAndFlush(new CommandMessage(0, ConnectRequest.of(app, tcUrl, "FMLE/3.0 (compatible; rtmp-edge)", null,
                    null, 0).toCommand(TX_CONNECT)));
        } else if (evt instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CommandMessage command) {
                onCommand(ctx, command.command());
            } else if (msg instanceof PayloadMessage payload) {
                if (started && mode == Mode.PLAY && payload.messageStreamId() == streamId) {
                    events.media(payload);
                }
            } else if (msg instanceof UserControlMessage.PingRequest ping) {
                ctx.writeAndFlush(new UserControlMessage.PingResponse(ping.time()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onCommand(ChannelHandlerContext ctx, Command command) {
        switch (command.name()) {
            case Commands.RESULT -> onResult(ctx, command);
            case Commands.ERROR -> {
                if (command.transactionId() == TX_CONNECT) {
                    Status info = ConnectResult.parse(command).info();
                    fail(ctx, "connect rejected: " + describe(info));
                } else if (command.transactionId() == TX_CREATE_STREAM) {
                    fail(ctx, "createStream failed");
                }
            }
            case Commands.ON_STATUS -> onStatus(ctx, Commands.parseOnStatus(command));
            default -> {
                // onBWDone, onFCPublish, _checkbw...: nothing to do
            }
        }
    }

    private void onResult(ChannelHandlerContext ctx, Command command) {
        if (command.transactionId() == TX_CONNECT) {
            ConnectResult result = ConnectResult.parse(command);
            if (!result.success()) {
                fail(ctx, "connect rejected: " + describe(result.info()));
                return;
            }
            if (mode == Mode.PUBLISH) {
                ctx.write(new CommandMessage(0, Commands.releaseStream(TX_RELEASE, streamName)));
                ctx.write(new CommandMessage(0, Commands.fcPublish(TX_FC_PUBLISH, streamName)));
            }
            ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
        } else if (command.transactionId() == TX_CREATE_STREAM) {
            streamId = Commands.parseCreateStreamResult(command);
            if (mode == Mode.PLAY) {
                ctx.write(new CommandMessage(streamId, PlayRequest.of(streamName).toCommand(0)));
                ctx.writeAndFlush(new UserControlMessage.SetBufferLength(streamId, 3000));
            } else {
                ctx.writeAndFlush(new CommandMessage(streamId,
                        new PublishRequest(streamName, PublishRequest.Type.LIVE).toCommand(0)));
            }
        }
    }

    private void onStatus(ChannelHandlerContext ctx, Status status) {
        StatusCode code = status.statusCode();
        if (code == null) {
            return;
        }
        switch (code) {
            case PLAY_START, PUBLISH_START -> {
                if (!started && !done) {
                    started = true;
                    events.started(ctx, streamId);
                }
            }
            case PLAY_STREAM_NOT_FOUND, PLAY_FAILED, PLAY_STOP, PLAY_UNPUBLISH_NOTIFY, PUBLISH_BAD_NAME, PUBLISH_DENIED,
                    STREAM_FAILED, CONNECT_CLOSED, CONNECT_FAILED, CONNECT_REJECTED -> fail(ctx, "origin says " + describe(status));
            default -> {
                // Play.Reset, Data.Start, PublishNotify...: informational
            }
        }
    }

    private static String describe(Status status) {
        return status == null ? "?" : status.code() + (status.description() == null ? "" : " (" + status.description() + ")");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        events.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause instanceof RtmpCodecException ? "protocol error: " + cause.getMessage() : String.valueOf(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(started ? "connection closed" : "connection closed before " + (mode == Mode.PLAY ? "Play" : "Publish") + ".Start");
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        report(reason);
        ctx.close();
    }

    private void report(String reason) {
        if (!done) {
            done = true;
            // The origin's description may echo the stream name with its query: never a token in the log.
            events.failed(QueryParams.redact(reason));
        }
    }
}
