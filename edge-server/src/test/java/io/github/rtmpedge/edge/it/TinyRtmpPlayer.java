package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.client.RtmpClientListener;
import io.github.rtmpedge.rtmp.client.RtmpClientPipeline;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal RTMP player on the codec's client ({@link RtmpClientHandler}): it plays, then counts
 * what arrives and notes when the first video keyframe came. It can stop reading to act as a
 * player that cannot keep up, or never acknowledge.
 */
final class TinyRtmpPlayer implements AutoCloseable {

    private final Channel channel;
    private final RtmpClientHandler client;
    private final long connectStartedNanos;
    private final CompletableFuture<Long> firstKeyframeNanos = new CompletableFuture<>();
    private final AtomicLong videoMessages = new AtomicLong();
    private final AtomicLong lastVideoTimestamp = new AtomicLong(-1);
    private final AtomicLong videoTimestampRegressions = new AtomicLong();
    private final AtomicLong mediaMessages = new AtomicLong();
    private final AtomicLong mediaBytes = new AtomicLong();
    /** When the last media message came (nanoTime), 0 before the first; the longest gap between two. */
    private final AtomicLong lastMediaNanos = new AtomicLong();

    private final AtomicLong longestGapNanos = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean stopping;
    private boolean stopAnswered;
    private int sessionDataToSkip = 2;

    private TinyRtmpPlayer(
            EventLoopGroup group, int port, String app, String stream, int receiveBuffer, boolean acknowledging) {
        RtmpClientConfig config = RtmpClientConfig.play(app, "rtmp://127.0.0.1:" + port + "/" + app, stream)
                .acknowledge(acknowledging)
                .build();
        client = new RtmpClientHandler(config, new Listener());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        RtmpClientPipeline.install(ch.pipeline(), client, HandshakeMode.SIMPLE);
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
        return new TinyRtmpPlayer(group, port, app, stream, 0, true);
    }

    /** As {@link #play}, with {@code SO_RCVBUF} set to {@code bytes} before connecting. */
    static TinyRtmpPlayer playWithReceiveBuffer(EventLoopGroup group, int port, String app, String stream, int bytes) {
        return new TinyRtmpPlayer(group, port, app, stream, bytes, true);
    }

    /** As {@link #play}, but it never sends an Acknowledgement (RTMP spec 5.4.3) while it reads everything. */
    static TinyRtmpPlayer playWithoutAcknowledging(EventLoopGroup group, int port, String app, String stream) {
        return new TinyRtmpPlayer(group, port, app, stream, 0, false);
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

    /**
     * The longest time without media since the first media message, in ms: between two messages,
     * or the one still going on now (what a viewer sees as a frozen picture).
     */
    long longestSilenceMillis() {
        long last = lastMediaNanos.get();
        long ongoing = last == 0 ? 0 : System.nanoTime() - last;
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(Math.max(longestGapNanos.get(), ongoing));
    }

    /** Forgets the silences so far (e.g. the player's own start-up). */
    void resetSilence() {
        longestGapNanos.set(0);
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
        int msid = client.streamId();
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

    /** Counts what the client reports, on the channel's event loop. */
    private final class Listener implements RtmpClientListener {

        @Override
        public void status(RtmpClientHandler c, Status status) {
            if (stopping && StatusCode.PLAY_STOP.code().equals(status.code())) {
                stopAnswered = true;
            }
        }

        @Override
        public void streamEvent(RtmpClientHandler c, UserControlMessage event) {
            if (event instanceof UserControlMessage.StreamEof && stopAnswered) {
                ended.complete(null);
            }
        }

        @Override
        public void media(RtmpClientHandler c, PayloadMessage message) {
            if (message instanceof DataMessage data) {
                if (sessionDataToSkip > 0) {
                    sessionDataToSkip--; // written by the session itself before any media
                } else {
                    countMedia(data); // metadata, and whatever data the source sends (nginx: |RtmpSampleAccess)
                }
            } else if (message instanceof AudioMessage audio) {
                countMedia(audio);
            } else if (message instanceof VideoMessage video) {
                countMedia(video);
                videoMessages.incrementAndGet();
                if (lastVideoTimestamp.getAndSet(video.timestamp()) > video.timestamp()) {
                    videoTimestampRegressions.incrementAndGet();
                }
                if (!firstKeyframeNanos.isDone() && VideoTags.isKeyframe(video.content())) {
                    firstKeyframeNanos.complete(System.nanoTime());
                }
            }
        }

        private void countMedia(PayloadMessage message) {
            long now = System.nanoTime();
            long previous = lastMediaNanos.getAndSet(now);
            if (previous != 0) {
                longestGapNanos.accumulateAndGet(now - previous, Math::max);
            }
            mediaMessages.incrementAndGet();
            mediaBytes.addAndGet(message.content().readableBytes());
        }

        @Override
        public void failed(RtmpClientHandler c, String reason) {
            ended.completeExceptionally(new IllegalStateException(reason));
        }
    }
}
