package io.github.rtmpedge.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What the server and client handshake handlers share: the timeout, the one-shot removal and the
 * way failures surface.
 *
 * <p>On failure (bad version byte, bad digest, timeout, connection closed before the end) the
 * handler fires {@code exceptionCaught} with a {@link HandshakeException} to the next handler,
 * closes the channel and discards any further input. On success it fires {@link HandshakeCompleted}
 * and removes itself; {@link ByteToMessageDecoder} then passes on the bytes that followed.
 */
abstract class HandshakeHandler extends ByteToMessageDecoder {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Duration timeout;
    private final RandomGenerator random;
    private ScheduledFuture<?> timeoutTask;
    private long startNanos;
    private boolean started;
    private boolean finished;

    /** @param random source of the random bytes; null means {@link ThreadLocalRandom} of the event loop */
    HandshakeHandler(Duration timeout, RandomGenerator random) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.random = random;
    }

    /** Called once, when the channel is active and the handler is in the pipeline. */
    abstract void onStart(ChannelHandlerContext ctx);

    /** Reads what it can of the handshake; calls {@link #complete} or {@link #fail} at the end. */
    abstract void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in);

    /** The current state for error messages, e.g. "waiting for C1". */
    abstract String state();

    /** Bytes the current state needs in total. */
    abstract int bytesExpected();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        startNanos = ctx.executor().ticker().nanoTime();
        timeoutTask = ctx.executor()
                .schedule(
                        () -> {
                            if (!finished) {
                                failIncomplete(
                                        ctx,
                                        HandshakeException.Kind.TIMEOUT,
                                        "handshake timed out after " + describe(timeout));
                            }
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        onStart(ctx);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        decodeHandshake(ctx, in);
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!finished && !ctx.isRemoved()) {
            failIncomplete(ctx, HandshakeException.Kind.PEER_CLOSED, "connection closed during the handshake");
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    /** Milliseconds since the handshake started, as the 32-bit time field of a handshake packet. */
    final int elapsedMillis(ChannelHandlerContext ctx) {
        return (int) TimeUnit.NANOSECONDS.toMillis(ctx.executor().ticker().nanoTime() - startNanos);
    }

    final RandomGenerator random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    /** Writes and flushes {@code packet}; a failed write fails the handshake. */
    final void send(ChannelHandlerContext ctx, ByteBuf packet, String what) {
        ctx.writeAndFlush(packet).addListener(future -> {
            if (!future.isSuccess()) {
                fail(ctx, "could not send " + what + ": " + future.cause());
            }
        });
    }

    /** Fires {@code event}, then removes this handler; the bytes after the handshake move on. */
    final void complete(ChannelHandlerContext ctx, HandshakeCompleted event) {
        finished = true;
        cancelTimeout();
        ctx.fireUserEventTriggered(event);
        ctx.pipeline().remove(this);
    }

    /** Fails the handshake because the peer sent something wrong. */
    final void fail(ChannelHandlerContext ctx, String reason) {
        failWith(ctx, HandshakeException.Kind.INVALID, reason + " (state: " + state() + ")");
    }

    /** Fails the handshake because the peer did not send enough; the message says how much came. */
    private void failIncomplete(ChannelHandlerContext ctx, HandshakeException.Kind kind, String reason) {
        int received = internalBuffer().readableBytes();
        failWith(
                ctx,
                kind,
                reason + " (state: " + state() + ", " + received + " of " + bytesExpected() + " bytes received)");
    }

    /** Exception to the next handler, channel closed, input discarded from now on. */
    private void failWith(ChannelHandlerContext ctx, HandshakeException.Kind kind, String message) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        ctx.fireExceptionCaught(new HandshakeException(kind, message));
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
            timeoutTask = null;
        }
    }

    /** Checks the C0/S0 version byte (specification section 5.2.2); returns an error text or null. */
    static String versionError(String packet, int version) {
        if (version == HandshakePackets.RTMP_VERSION) {
            return null;
        }
        String hex = String.format("0x%02X", version);
        return switch (version) {
            case 6, 8, 9 ->
                packet + " version byte " + hex
                        + " asks for encrypted RTMP (RTMPE), which is not supported; use plain RTMP (3)";
            case 0x16 ->
                packet + " version byte " + hex
                        + " is not RTMP: it looks like a TLS handshake (RTMPS) sent to a plain RTMP port";
            default -> packet + " version byte " + hex + " is not supported; expected RTMP version 3";
        };
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
