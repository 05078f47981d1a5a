package io.github.rtmpedge.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our client against our server over real TCP sockets on 127.0.0.1. */
class HandshakeSocketTest {

    private static final long WAIT_SECONDS = 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final CompletableFuture<Recorder> serverSide = new CompletableFuture<>();

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Starts a server on a random port whose pipeline is {@code handshake} + a {@link Recorder}. */
    private int startServer(Supplier<io.netty.channel.ChannelHandler> handshake) {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Recorder recorder = new Recorder();
                        ch.pipeline().addLast(handshake.get(), recorder);
                        serverSide.complete(recorder);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private Channel connect(int port, HandshakeMode mode, Recorder recorder) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandshakeHandler(mode), recorder);
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port))
                .syncUninterruptibly()
                .channel();
    }

    @ParameterizedTest
    @EnumSource(HandshakeMode.class)
    void clientAndServerCompleteAndBytesFlowAfterwards(HandshakeMode mode) throws Exception {
        int port = startServer(ServerHandshakeHandler::new);
        Recorder client = new Recorder();
        Channel channel = connect(port, mode, client);
        try {
            HandshakeCompleted clientDone = client.completed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            byte[] hello = "first chunk".getBytes(StandardCharsets.US_ASCII);
            channel.writeAndFlush(Unpooled.wrappedBuffer(hello));
            Recorder server = serverSide.get(WAIT_SECONDS, TimeUnit.SECONDS);
            HandshakeCompleted serverDone = server.completed.get(WAIT_SECONDS, TimeUnit.SECONDS);

            boolean digest = mode == HandshakeMode.DIGEST;
            assertEquals(
                    new HandshakeCompleted(digest, 0, digest ? 0x0D0E0A0DL : 0, true), withTime0(clientDone), "client");
            assertEquals(
                    new HandshakeCompleted(digest, 0, digest ? 0x80000702L : 0, true), withTime0(serverDone), "server");
            assertArrayEquals(hello, server.firstBytes.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    /** The time fields are milliseconds since each handler started: not predictable over sockets. */
    private static HandshakeCompleted withTime0(HandshakeCompleted event) {
        return new HandshakeCompleted(event.digest(), 0, event.peerVersion(), event.peerAnswerVerified());
    }

    @Test
    void digestClientRejectsServerWhoseS1DigestIsBad() throws Exception {
        int port = startServer(BadDigestServer::new);
        Recorder client = new Recorder();
        Channel channel = connect(port, HandshakeMode.DIGEST, client);
        try {
            Throwable failure = client.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(failure instanceof HandshakeException, failure.toString());
            assertTrue(
                    failure.getMessage().startsWith("S1 has server version 0x0D0E0A0D but no valid"),
                    failure.getMessage());
            assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "client closed the channel");
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    /** Answers any C0+C1 with S0 S1 S2 whose S1 claims a server version but has no valid digest. */
    private static final class BadDigestServer extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (answered) {
                return;
            }
            answered = true;
            byte[] reply = new byte[1 + 2 * 1536];
            reply[0] = 3; // S0
            reply[5] = 0x0D; // S1 version 0x0D0E0A0D, the rest zero: no digest anywhere
            reply[6] = 0x0E;
            reply[7] = 0x0A;
            reply[8] = 0x0D;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        }
    }
}
