package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.proxy.ClientAddress;
import io.github.rtmpedge.edge.proxy.ConnectionLimit;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.AppMeters;
import io.github.rtmpedge.edge.stream.RateWindow;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every RTMP client pipeline: enforces max_connections, counts bytes in and out (under the
 * session's role), and logs the line that opens the connection; the session's disconnector writes
 * the one that closes it.
 */
public final class ConnectionHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ConnectionTracker tracker;
    private final EnumCounters<Role> received;
    private final EnumCounters<Role> sent;
    private RtmpSession session;
    private final long openedNanos = System.nanoTime();
    private boolean admitted;
    private long bytesIn;
    private long bytesOut;
    private final RateWindow recvRate = new RateWindow(openedNanos, 30);
    private final RateWindow sendRate = new RateWindow(openedNanos, 30);

    public ConnectionHandler(ConnectionTracker tracker, TrafficMeters traffic) {
        this.tracker = tracker;
        this.received = traffic.bytesReceived();
        this.sent = traffic.bytesSent();
    }

    /** The role bytes are counted under: the session's, looked up once (it is added after us). */
    private Role role(ChannelHandlerContext ctx) {
        if (session == null) {
            session = ctx.pipeline().get(RtmpSession.class);
            if (session == null) {
                return Role.NONE;
            }
        }
        return session.role();
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Bits per second received over the last 30 seconds. */
    public long recvBitsPerSecond() {
        return recvRate.bitsPerSecond(System.nanoTime());
    }

    /** Bits per second sent over the last 30 seconds. */
    public long sendBitsPerSecond() {
        return sendRate.bitsPerSecond(System.nanoTime());
    }

    /** Whether the connection was let in (under max_connections). */
    public boolean admitted() {
        return admitted;
    }

    /** Milliseconds since the connection opened. */
    public long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    /** The close line's figures: bytes each way, the connection's age (as taken), the connections left. */
    public String describeTraffic(long ageMillis) {
        return bytesIn + " bytes in, " + bytesOut + " bytes out, " + ageMillis + " ms (" + tracker.active()
                + " active)";
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held at the PROXY protocol gate, the connection took its slot there already.
        if (!ConnectionLimit.handedOn(ctx.channel()) && !admit(tracker, ctx.channel())) {
            ctx.close();
            return;
        }
        admitted = true;
        log.info(
                "open {}{} ({} active)",
                ClientAddress.of(ctx.channel()),
                ClientAddress.via(ctx.channel()),
                tracker.active());
        ctx.fireChannelActive();
    }

    /** The RTMP listener's limit, for the PROXY protocol gate: the same slots, refusal line and count as here. */
    public static ConnectionLimit limit(ConnectionTracker tracker) {
        return new ConnectionLimit() {
            @Override
            public boolean tryOpen(Channel channel) {
                return admit(tracker, channel);
            }

            @Override
            public void closed() {
                tracker.closed();
            }
        };
    }

    /** Takes a slot under max_connections; false, logged (and counted by the tracker), when none is left. */
    private static boolean admit(ConnectionTracker tracker, Channel channel) {
        if (tracker.tryOpen()) {
            return true;
        }
        log.warn("rejected {}: max_connections ({}) reached", ClientAddress.of(channel), tracker.maxConnections());
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
            recvRate.add(buf.readableBytes(), System.nanoTime());
            received.increment(role(ctx), buf.readableBytes());
            AppMeters.Entry app = session == null ? null : session.appEntry();
            if (app != null) {
                app.received(buf.readableBytes());
            }
            tracker.bytesIn(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = msg instanceof ByteBuf buf
                ? buf.readableBytes()
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
        sendRate.add(bytes, System.nanoTime());
        tracker.bytesOut(bytes);
        sent.increment(role(ctx), (double) bytes);
        AppMeters.Entry app = session == null ? null : session.appEntry();
        if (app != null) {
            app.sent(bytes);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            tracker.closed(); // before the session's close line, which reports the connections left
        }
        ctx.fireChannelInactive();
    }
}
