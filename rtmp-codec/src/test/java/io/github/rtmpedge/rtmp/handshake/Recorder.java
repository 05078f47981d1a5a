package io.github.rtmpedge.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands where the chunk decoder would: records, in order, the user events, exceptions and bytes
 * that pass the handshake handler (bytes as arrays, the buffers released at once).
 */
final class Recorder extends ChannelInboundHandlerAdapter {

    /** Everything seen, in order: {@link HandshakeCompleted}, {@link Throwable} or {@code byte[]}. */
    final List<Object> seen = new CopyOnWriteArrayList<>();

    final CompletableFuture<HandshakeCompleted> completed = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    /** Completed with the first bytes that arrive after the handshake. */
    final CompletableFuture<byte[]> firstBytes = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            seen.add(bytes);
            firstBytes.complete(bytes);
        } finally {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        seen.add(evt);
        if (evt instanceof HandshakeCompleted done) {
            completed.complete(done);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        seen.add(cause);
        failed.complete(cause);
    }

    /** The single exception seen, which must be a {@link HandshakeException}. */
    HandshakeException onlyFailure() {
        List<Object> failures =
                seen.stream().filter(Throwable.class::isInstance).toList();
        if (failures.size() != 1 || !(failures.get(0) instanceof HandshakeException e)) {
            throw new AssertionError("expected exactly one HandshakeException, saw " + seen);
        }
        return e;
    }
}
