package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every server pipeline: enforces max_connections, counts bytes in and out, and logs one
 * line when the connection opens and one when it closes (with the reason, role, bytes and duration).
 */
public final class ConnectionHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ConnectionTracker tracker;
    private final EdgeMetrics metrics;
    private RtmpSession session;
    private final long openedNanos = System.nanoTime();
    private boolean counted;
    private long bytesIn;
    private long bytesOut;

    public ConnectionHandler(ConnectionTracker tracker) {
        this(tracker, EdgeMetrics.unscraped());
    }

    public ConnectionHandler(ConnectionTracker tracker, EdgeMetrics metrics) {
        this.tracker = tracker;
        this.metrics = metrics;
    }

    /** The role bytes are counted under: the session's, looked up once (it is added after us). */
    private EdgeMetrics.Role role(ChannelHandlerContext ctx) {
        if (session == null) {
            session = ctx.pipeline().get(RtmpSession.class);
            if (session == null) {
                return EdgeMetrics.Role.NONE;
            }
        }
        return session.meterRole();
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!tracker.tryOpen()) {
            log.warn("rejected {}: max_connections ({}) reached", ctx.channel().remoteAddress(), tracker.maxConnections());
            ctx.close();
            return;
        }
        counted = true;
        log.info("open {} ({} active)", ctx.channel().remoteAddress(), tracker.active());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
            metrics.bytesReceived(role(ctx), buf.readableBytes());
            tracker.bytesIn(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        written(ctx, bytes);
        ctx.write(msg, promise);
    }

    /**
     * Counts {@code bytes} written through {@code ctx} (this handler's context) past this handler:
     * the fan-out writes chunked media straight to the transport and counts once per batch.
     */
    void written(ChannelHandlerContext ctx, long bytes) {
        bytesOut += bytes;
        tracker.bytesOut(bytes);
        metrics.bytesSent(role(ctx), bytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            tracker.closed();
            RtmpSession session = ctx.pipeline().get(RtmpSession.class);
            String reason = session == null ? "closed during the handshake" : session.closeReason();
            String role = session == null ? "" : " " + session.describeRole() + ",";
            // the session's channelInactive (which records the reason) runs after ours: ask it now
            log.info("close {}:{} {}; {} bytes in, {} bytes out, {} ms ({} active){}", ctx.channel().remoteAddress(), role,
                    reason == null ? "peer closed" : reason, bytesIn, bytesOut,
                    (System.nanoTime() - openedNanos) / 1_000_000, tracker.active(),
                    session == null ? "" : session.deliverySummary());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }
}
