package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.client.RtmpClientListener;
import io.github.rtmpedge.rtmp.client.RtmpClientPipeline;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * One simulated RTMP client that outlives its connections. Each connection holds its conversation
 * with the codec's client ({@link RtmpClientHandler}: handshake, connect, createStream, then play
 * or publish), this object being its listener. When a connection closes it reconnects after the
 * configured delay, unless the run is stopping.
 *
 * <p>A connection attempt fails when the TCP connect fails or the connection ends before the
 * stream started (NetStream.Play.Start / NetStream.Publish.Start), e.g. on an error status.
 * All per-connection state is touched only on the connection's event loop; the fields the
 * reporter reads are volatile.
 */
abstract class RtmpClient implements RtmpClientListener {

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
                ch.pipeline().addLast(new ByteCounter(stats));
                install(ch.pipeline());
            }
        });
    }

    /** What each connection says: play or publish, and how. */
    abstract RtmpClientConfig config();

    /** The connection's handlers after the byte counter: the codec's RTMP client. */
    void install(ChannelPipeline p) {
        RtmpClientPipeline.install(p, new RtmpClientHandler(config(), this), HandshakeMode.SIMPLE);
    }

    /** Where to connect. */
    String host() {
        return options.host();
    }

    int port() {
        return options.port();
    }

    /** The stream started on {@code ch} (the current connection). */
    void onStarted(Channel ch, int streamId) {}

    /** The connection closed (on its event loop). */
    abstract void onClosed();

    @Override
    public final void started(RtmpClientHandler client, int streamId) {
        started = true;
        onStarted(client.channel(), streamId);
    }

    @Override
    public void failed(RtmpClientHandler client, String reason) {
        // The client closes the connection; closed() counts a failure before the start and reconnects.
    }

    final void connect() {
        if (stopping) {
            return;
        }
        stats.attempts.increment();
        connectStartNanos = System.nanoTime();
        started = false;
        ChannelFuture f = bootstrap.connect(host(), port());
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
}
