package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One simulated RTMP client that outlives its connections: handshake (RTMP spec 5.2, simple),
 * connect (7.2.1.1), createStream (7.2.1.3), then {@link #onStream} (play or publish). When a
 * connection closes it reconnects after the configured delay, unless the run is stopping.
 *
 * <p>A connection attempt fails when the TCP connect fails or the connection ends before the
 * stream started (NetStream.Play.Start / NetStream.Publish.Start), e.g. on an error status.
 * All per-connection state is touched only on the connection's event loop; the fields the
 * reporter reads are volatile.
 */
abstract class RtmpClient {

    static final double TX_CONNECT = 1;
    static final double TX_CREATE_STREAM = 2;

    final LoadOptions options;
    final LoadStats stats;
    private final Bootstrap bootstrap;
    private volatile boolean stopping;
    private volatile Channel channel;
    /** The current connection reached NetStream.Play.Start / Publish.Start. */
    volatile boolean started;
    long connectStartNanos;
    /** The current attempt's TCP connect failed and was counted already. */
    private boolean countedFailure;

    RtmpClient(LoadOptions options, LoadStats stats, Bootstrap bootstrap) {
        this.options = options;
        this.stats = stats;
        this.bootstrap = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ByteCounter(stats),
                        new ClientHandshakeHandler(HandshakeMode.SIMPLE, Duration.ofSeconds(10)),
                        new ChunkDecoder(), new MessageDecoder(), new ChunkEncoder(), new MessageEncoder(),
                        new Session());
            }
        });
    }

    /** The stream name this client plays or publishes. */
    abstract String streamName();

    /** createStream answered: send play or publish on {@code streamId}. */
    abstract void onStream(ChannelHandlerContext ctx, int streamId);

    /** An onStatus arrived on the stream. */
    abstract void onStatus(ChannelHandlerContext ctx, Status status);

    /** Any other message (media, data, control); the caller releases it. */
    abstract void onMessage(ChannelHandlerContext ctx, Object msg);

    /** The connection closed (on its event loop). */
    abstract void onClosed();

    /** Sent right after the handshake, before connect. */
    void afterHandshake(ChannelHandlerContext ctx) {
    }

    final void connect() {
        if (stopping) {
            return;
        }
        stats.attempts.increment();
        connectStartNanos = System.nanoTime();
        started = false;
        ChannelFuture f = bootstrap.connect(options.host(), options.port());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                // The channel's closeFuture still fires and schedules the reconnect; this only counts.
                stats.failedConnects.increment();
                countedFailure = true;
            }
        });
        f.channel().closeFuture().addListener(closed -> closed(f.channel().eventLoop()));
    }

    private void closed(EventLoop loop) {
        if (!started && !countedFailure && !stopping) {
            stats.failedConnects.increment();
        }
        countedFailure = false;
        started = false;
        onClosed();
        long delay = options.reconnectDelay().toNanos();
        if (delay > 0 && !stopping) {
            stats.reconnects.increment();
            stats.reconnectNanos.add(System.nanoTime());
            loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** No more reconnects; closes the current connection. */
    final ChannelFuture stop() {
        stopping = true;
        Channel ch = channel;
        return ch == null ? null : ch.close();
    }

    final boolean stopping() {
        return stopping;
    }

    /** Counts every byte read off the socket. */
    static final class ByteCounter extends ChannelInboundHandlerAdapter {
        private final LoadStats stats;

        ByteCounter(LoadStats stats) {
            this.stats = stats;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                stats.receivedBytes.add(b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Session extends ChannelInboundHandlerAdapter {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                afterHandshake(ctx);
                ctx.writeAndFlush(new CommandMessage(0, ConnectRequest.of(options.app(), options.tcUrl(),
                        "LNX 9,0,124,2", null, null, 0).toCommand(TX_CONNECT)));
            } else if (evt instanceof AcknowledgementDue due) {
                // RTMP spec 5.4.3: acknowledge once the window the peer announced is full.
                ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof CommandMessage m) {
                    onCommand(ctx, m.command());
                } else {
                    onMessage(ctx, msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onCommand(ChannelHandlerContext ctx, Command command) {
            switch (command.name()) {
                case Commands.RESULT -> {
                    if (command.transactionId() == TX_CONNECT) {
                        ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
                    } else if (command.transactionId() == TX_CREATE_STREAM) {
                        onStream(ctx, Commands.parseCreateStreamResult(command));
                    }
                }
                case Commands.ERROR -> ctx.close();
                case Commands.ON_STATUS -> {
                    Status status = Commands.parseOnStatus(command);
                    if (Status.LEVEL_ERROR.equals(status.level())) {
                        ctx.close();
                    } else {
                        onStatus(ctx, status);
                    }
                }
                default -> {
                    // onBWDone, onFCPublish, |RtmpSampleAccess...: nothing to do.
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
