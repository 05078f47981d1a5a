package io.github.rtmpedge.edge.web;

import io.github.rtmpedge.config.HttpServerConfig;
import io.github.rtmpedge.edge.proxy.ClientAddress;
import io.github.rtmpedge.edge.proxy.ConnectionLimit;
import io.github.rtmpedge.edge.stream.RateWindow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP connection, on the API port and on the HTTP-FLV listener alike, is held to:
 * the listener's connection limit, the request line and header limits (414, 431; 400 for anything
 * malformed), a request that must arrive whole within {@code request_timeout} (408), and a
 * kept-alive connection closed when no new request starts within {@code keep_alive_timeout}. It
 * also counts the connection's bytes. Two handlers around the HTTP codec share one guard per
 * connection: {@link #install} puts them in place. Confined to the connection's event loop.
 */
public final class HttpGuard extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpGuard.class);

    /** Names of the handlers {@link #install} adds. */
    public static final String GUARD = "http-guard";

    public static final String CODEC = "http-codec";
    public static final String TAIL = "http-guard-tail";

    /** A listener's limits. */
    public record Limits(
            int maxConnections,
            int maxUriLength,
            int maxHeaderSize,
            Duration requestTimeout,
            Duration keepAliveTimeout) {

        /** The http_limits of the configuration, with the listener's own connection limit. */
        public static Limits of(HttpServerConfig.HttpLimits limits, int maxConnections) {
            return new Limits(
                    maxConnections,
                    limits.maxUriLength(),
                    limits.maxHeaderSize(),
                    limits.requestTimeout(),
                    limits.keepAliveTimeout());
        }
    }

    private enum State {
        /** Waiting for a request to arrive whole (request_timeout runs). */
        READING,
        /** A request is being answered. */
        ANSWERING,
        /** Kept alive between requests (keep_alive_timeout runs). */
        IDLE,
        /** The answer is a live stream: no timers, no further requests. */
        STREAMING,
        /** Refused or timed out: what arrives is dropped. */
        CLOSING
    }

    private final Limits limits;
    private final HttpListenerMeters meters;
    private final Tail tail = new Tail();
    private final long openedNanos = System.nanoTime();
    private ChannelHandlerContext ctx;
    private State state = State.READING;
    private ScheduledFuture<?> timer;
    private boolean admitted;
    private long bytesIn;
    private long bytesOut;
    private final RateWindow recvRate = new RateWindow(openedNanos, 30);
    private final RateWindow sendRate = new RateWindow(openedNanos, 30);

    private HttpGuard(Limits limits, HttpListenerMeters meters) {
        this.limits = limits;
        this.meters = meters;
    }

    /** Adds the guard, the HTTP codec (with the limits) and the guard's tail, in that order. */
    public static HttpGuard install(ChannelPipeline p, Limits limits, HttpListenerMeters meters) {
        HttpGuard guard = new HttpGuard(limits, meters);
        p.addLast(GUARD, guard);
        p.addLast(CODEC, new HttpServerCodec(limits.maxUriLength(), limits.maxHeaderSize(), 8192));
        p.addLast(TAIL, guard.tail);
        return guard;
    }

    /** The guard of the connection that {@code p} belongs to, or null. */
    public static HttpGuard of(ChannelPipeline p) {
        return p.get(HttpGuard.class);
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

    public long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    /** Whether the connection was let in (under the listener's limit). */
    public boolean admitted() {
        return admitted;
    }

    /** The answer being written is a live stream: no request or keep-alive timer applies any more. */
    public void streaming() {
        state = State.STREAMING;
        cancelTimer();
    }

    /**
     * Writes {@code bytes} past the HTTP codec (a live stream's body, already framed) and counts
     * them; the caller flushes.
     */
    public void writeRaw(ByteBuf bytes) {
        sent(bytes.readableBytes());
        ctx.write(bytes, ctx.voidPromise());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held at the PROXY protocol gate, the connection took its slot there already.
        if (!ConnectionLimit.handedOn(ctx.channel()) && !admit(limits, meters, ctx.channel())) {
            ctx.close();
            return;
        }
        admitted = true;
        arm(limits.requestTimeout());
        ctx.fireChannelActive();
    }

    /** A listener's limit, for the PROXY protocol gate: the same slots, refusal line and count as here. */
    public static ConnectionLimit limit(Limits limits, HttpListenerMeters meters) {
        return new ConnectionLimit() {
            @Override
            public boolean tryOpen(Channel channel) {
                return admit(limits, meters, channel);
            }

            @Override
            public void closed() {
                meters.closed();
            }
        };
    }

    /** Takes a slot under the listener's limit; false, counted and logged (sampled), when none is left. */
    private static boolean admit(Limits limits, HttpListenerMeters meters, Channel channel) {
        if (meters.tryOpen(limits.maxConnections())) {
            return true;
        }
        if (meters.shouldLogRejection()) {
            log.warn(
                    "{} listener: refused {}: {} connections open (its max_connections); {} refused so far",
                    meters.listener(),
                    ClientAddress.of(channel),
                    meters.active(),
                    (long) meters.rejectedConnections());
        }
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
            recvRate.add(buf.readableBytes(), System.nanoTime());
            if (state == State.IDLE) {
                state = State.READING; // a new request starts: it has request_timeout to arrive
                arm(limits.requestTimeout());
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent(buf.readableBytes());
        } else if (msg instanceof ByteBufHolder holder) {
            sent(holder.content().readableBytes());
        }
        ctx.write(msg, promise);
    }

    private void sent(int bytes) {
        bytesOut += bytes;
        sendRate.add(bytes, System.nanoTime());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (admitted) {
            meters.closed();
        }
        ctx.fireChannelInactive();
    }

    private void arm(Duration after) {
        cancelTimer();
        timer = ctx.executor().schedule(this::expired, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (state == State.READING) {
            refuse(
                    HttpRefusal.REQUEST_TIMEOUT,
                    "no whole request within " + limits.requestTimeout().toMillis() + " ms (" + bytesIn + " bytes)");
        } else if (state == State.IDLE) {
            meters.closedIdle();
            log.debug(
                    "{} listener: closing {}: kept alive {} ms without a request",
                    meters.listener(),
                    ClientAddress.of(ctx.channel()),
                    limits.keepAliveTimeout().toMillis());
            state = State.CLOSING;
            ctx.close();
        }
    }

    /** Answers {@code why}'s status, closes the connection, counts and logs it. */
    private void refuse(HttpRefusal why, String detail) {
        cancelTimer();
        state = State.CLOSING;
        meters.refused(why);
        if (meters.shouldLog(why)) {
            log.warn(
                    "{} listener: {} {} from {}: {} ({} so far)",
                    meters.listener(),
                    why.status().code(),
                    why.name().toLowerCase(java.util.Locale.ROOT),
                    ClientAddress.of(ctx.channel()),
                    detail,
                    (long) meters.refusals(why));
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                why.status(),
                Unpooled.copiedBuffer(why.status().reasonPhrase() + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        // Through the codec (written from the tail, it reaches the codec's encoder on its way out).
        ChannelHandlerContext out = ctx.pipeline().context(TAIL);
        (out == null ? ctx : out).writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** After the codec: sees whole requests come in and answers go out. */
    private final class Tail extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.CLOSING) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                DecoderResult result = object.decoderResult();
                ReferenceCountUtil.release(msg);
                Throwable cause = result.cause();
                HttpRefusal why = cause instanceof TooLongHttpLineException
                        ? HttpRefusal.URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException
                                ? HttpRefusal.HEADER_TOO_LARGE
                                : HttpRefusal.BAD_REQUEST;
                refuse(why, String.valueOf(cause.getMessage()));
                return;
            }
            if (msg instanceof LastHttpContent && state == State.READING) {
                state = State.ANSWERING; // the request is whole
                cancelTimer();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && state == State.ANSWERING && !promise.isVoid()) {
                promise.addListener(done -> {
                    if (state == State.ANSWERING && ctx.channel().isActive()) {
                        state = State.IDLE;
                        arm(limits.keepAliveTimeout());
                    }
                });
            }
            ctx.write(msg, promise);
        }
    }
}
