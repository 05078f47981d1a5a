package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal RTMP player built from the codec's handlers: handshake, connect, createStream, play
 * (RTMP spec 7.2.1.1, 7.2.1.3, 7.2.2.1), then it counts what arrives and notes when the first video
 * keyframe came. It can stop reading to act as a player that cannot keep up.
 */
final class TinyRtmpPlayer implements AutoCloseable {

    private static final double TX_CONNECT = 1;
    private static final double TX_CREATE_STREAM = 2;

    private final Channel channel;
    private final long connectStartedNanos;
    private final CompletableFuture<Long> firstKeyframeNanos = new CompletableFuture<>();
    private final AtomicLong videoMessages = new AtomicLong();
    private final AtomicLong lastVideoTimestamp = new AtomicLong(-1);
    private final AtomicLong videoTimestampRegressions = new AtomicLong();
    private volatile boolean acknowledging = true;
    private final AtomicLong mediaMessages = new AtomicLong();
    private final AtomicLong mediaBytes = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile int playStreamId = -1;
    private volatile boolean stopping;
    private boolean stopAnswered;
    private int sessionDataToSkip = 2;

    private TinyRtmpPlayer(EventLoopGroup group, int port, String app, String stream, int receiveBuffer) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandshakeHandler(HandshakeMode.SIMPLE, Duration.ofSeconds(10)),
                                new ChunkDecoder(), new MessageDecoder(), new ChunkEncoder(), new MessageEncoder(),
                                new Player(app, "rtmp://127.0.0.1:" + port + "/" + app, stream));
                    }
                });
        if (receiveBuffer > 0) {
            // A small receive window, so that a player that stops reading pushes back on the server at once.
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        connectStartedNanos = System.nanoTime();
        channel = bootstrap.connect("127.0.0.1", port).syncUninterruptibly().channel();
    }

    /** Connects to 127.0.0.1:{@code port} and plays {@code app/stream}. */
    static TinyRtmpPlayer play(EventLoopGroup group, int port, String app, String stream) {
        return new TinyRtmpPlayer(group, port, app, stream, 0);
    }

    /** As {@link #play}, with {@code SO_RCVBUF} set to {@code bytes} before connecting. */
    static TinyRtmpPlayer playWithReceiveBuffer(EventLoopGroup group, int port, String app, String stream, int bytes) {
        return new TinyRtmpPlayer(group, port, app, stream, bytes);
    }

    /** As {@link #play}, but it never sends an Acknowledgement (RTMP spec 5.4.3) while it reads everything. */
    static TinyRtmpPlayer playWithoutAcknowledging(EventLoopGroup group, int port, String app, String stream) {
        TinyRtmpPlayer player = new TinyRtmpPlayer(group, port, app, stream, 0);
        player.acknowledging = false; // before the first window (2.5 MB) can have arrived
        return player;
    }

    /** The local port, as the server's log names this connection. */
    int localPort() {
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    /** When the TCP connect started ({@link System#nanoTime()}). */
    long connectStartedNanos() {
        return connectStartedNanos;
    }

    /** Completes with the {@link System#nanoTime()} at which the first video keyframe arrived. */
    CompletableFuture<Long> firstKeyframeNanos() {
        return firstKeyframeNanos;
    }

    long videoMessages() {
        return videoMessages.get();
    }

    /** The timestamp of the last video message, ms; -1 before the first. */
    long lastVideoTimestamp() {
        return lastVideoTimestamp.get();
    }

    /** Video messages whose timestamp was below the one before (a player's timeline must not go back). */
    long videoTimestampRegressions() {
        return videoTimestampRegressions.get();
    }

    boolean connected() {
        return channel.isActive();
    }

    /**
     * Media messages the stream delivered so far: audio, video and data other than the two the
     * session writes itself when play starts, before any media ({@code |RtmpSampleAccess},
     * {@code onStatus NetStream.Data.Start}).
     */
    long mediaMessages() {
        return mediaMessages.get();
    }

    /** The payload bytes of {@link #mediaMessages()}. */
    long mediaBytes() {
        return mediaBytes.get();
    }

    /**
     * Leaves gracefully: sends closeStream and completes when the server has answered with
     * {@code NetStream.Play.Stop} and then StreamEOF, i.e. after the last media it had for us.
     */
    CompletableFuture<Void> leave() {
        int msid = playStreamId;
        if (msid < 0) {
            ended.completeExceptionally(new IllegalStateException("not playing yet"));
            return ended;
        }
        stopping = true;
        channel.writeAndFlush(new CommandMessage(msid, Commands.closeStream()));
        return ended;
    }

    /** Stops reading from the socket: the server's writes back up. */
    void stopReading() {
        channel.eventLoop().submit(() -> channel.config().setAutoRead(false)).syncUninterruptibly();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Player extends ChannelInboundHandlerAdapter {
        private final String app;
        private final String tcUrl;
        private final String stream;

        Player(String app, String tcUrl, String stream) {
            this.app = app;
            this.tcUrl = tcUrl;
            this.stream = stream;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                ctx.writeAndFlush(new CommandMessage(0,
                        ConnectRequest.of(app, tcUrl, "LNX 9,0,124,2", null, null, 0).toCommand(TX_CONNECT)));
            } else if (evt instanceof AcknowledgementDue due) {
                if (acknowledging) {
                    ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof CommandMessage message) {
                    onCommand(ctx, message.command());
                } else if (msg instanceof UserControlMessage.StreamEof && stopAnswered) {
                    ended.complete(null);
                } else if (msg instanceof DataMessage data) {
                    if (sessionDataToSkip > 0) {
                        sessionDataToSkip--; // written by the session itself before any media
                    } else {
                        countMedia(data); // metadata, and whatever data the source sends (nginx: |RtmpSampleAccess)
                    }
                } else if (msg instanceof AudioMessage audio) {
                    countMedia(audio);
                } else if (msg instanceof VideoMessage video) {
                    countMedia(video);
                    videoMessages.incrementAndGet();
                    if (lastVideoTimestamp.getAndSet(video.timestamp()) > video.timestamp()) {
                        videoTimestampRegressions.incrementAndGet();
                    }
                    if (!firstKeyframeNanos.isDone() && VideoTags.isKeyframe(video.content())) {
                        firstKeyframeNanos.complete(System.nanoTime());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void countMedia(PayloadMessage message) {
            mediaMessages.incrementAndGet();
            mediaBytes.addAndGet(message.content().readableBytes());
        }

        private void onCommand(ChannelHandlerContext ctx, Command command) {
            if (stopping && command.name().equals(Commands.ON_STATUS)
                    && StatusCode.PLAY_STOP.code().equals(Commands.parseOnStatus(command).code())) {
                stopAnswered = true;
                return;
            }
            if (!command.name().equals(Commands.RESULT)) {
                return;
            }
            if (command.transactionId() == TX_CONNECT) {
                ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
            } else if (command.transactionId() == TX_CREATE_STREAM) {
                int streamId = Commands.parseCreateStreamResult(command);
                playStreamId = streamId;
                ctx.writeAndFlush(new CommandMessage(streamId, PlayRequest.of(stream).toCommand(0)));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended.completeExceptionally(new IllegalStateException("connection closed before StreamEOF"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            firstKeyframeNanos.completeExceptionally(cause);
            ended.completeExceptionally(cause);
            ctx.close();
        }
    }
}
