package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An RTMP client that connects, creates a stream and publishes or plays one name (with its
 * query), and records every status code the server answers ({@code _error} of connect and
 * {@code onStatus}), and when the server closes the connection. For authorisation tests.
 */
final class StatusProbe implements AutoCloseable {

    private static final double TX_CONNECT = 1;
    private static final double TX_CREATE_STREAM = 2;

    private final Channel channel;
    private final List<String> codes = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private StatusProbe(EventLoopGroup group, int port, String app, String streamWithQuery, boolean publish) {
        channel = new Bootstrap()
                .group(group)
                .channel(Transports.clientChannel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new ClientHandshakeHandler(HandshakeMode.SIMPLE, Duration.ofSeconds(10)),
                                        new ChunkDecoder(),
                                        new MessageDecoder(),
                                        new ChunkEncoder(),
                                        new MessageEncoder(),
                                        new Client(
                                                app, "rtmp://127.0.0.1:" + port + "/" + app, streamWithQuery, publish));
                    }
                })
                .connect("127.0.0.1", port)
                .syncUninterruptibly()
                .channel();
        channel.closeFuture().addListener(f -> closed.complete(null));
    }

    static StatusProbe publish(EventLoopGroup group, int port, String app, String streamWithQuery) {
        return new StatusProbe(group, port, app, streamWithQuery, true);
    }

    static StatusProbe play(EventLoopGroup group, int port, String app, String streamWithQuery) {
        return new StatusProbe(group, port, app, streamWithQuery, false);
    }

    /** The status codes received so far, in order ({@code NetStream.Play.Start}, …). */
    List<String> codes() {
        return List.copyOf(codes);
    }

    /**
     * Plays {@code app/streamWithQuery} on 127.0.0.1:{@code port} and checks the refusal: only
     * NetStream.Play.Failed, the connection closed, and the server's log line naming the stream
     * (without its query) and {@code reason}.
     */
    static void assertPlayRefused(
            EventLoopGroup group,
            int port,
            String app,
            String streamWithQuery,
            String reason,
            LogCapture logs,
            Duration timeout) {
        try (StatusProbe probe = play(group, port, app, streamWithQuery)) {
            List<String> codes = probe.codesWhenClosed(timeout);
            if (!codes.equals(List.of(io.github.rtmpedge.rtmp.command.StatusCode.PLAY_FAILED.code()))) {
                throw new AssertionError("expected only NetStream.Play.Failed, got " + codes);
            }
        }
        String name = streamWithQuery.replaceFirst("\\?.*", "");
        logs.await(java.util.regex.Pattern.compile("play " + app + "/" + name + " refused: " + reason), timeout);
    }

    /** Waits (at most {@code timeout}) for the server to close the connection; then the codes it sent. */
    List<String> codesWhenClosed(Duration timeout) {
        org.awaitility.Awaitility.await("the server closes the connection")
                .atMost(timeout)
                .until(closed::isDone);
        return codes();
    }

    /** Completes when the connection is closed (by either side). */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Client extends ChannelInboundHandlerAdapter {
        private final String app;
        private final String tcUrl;
        private final String stream;
        private final boolean publish;

        Client(String app, String tcUrl, String stream, boolean publish) {
            this.app = app;
            this.tcUrl = tcUrl;
            this.stream = stream;
            this.publish = publish;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                ctx.writeAndFlush(new CommandMessage(
                        0,
                        ConnectRequest.of(app, tcUrl, "FMLE/3.0", null, null, 0).toCommand(TX_CONNECT)));
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof CommandMessage message) {
                    onCommand(ctx, message.command());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onCommand(ChannelHandlerContext ctx, Command command) {
            if (command.name().equals(Commands.ON_STATUS) || command.name().equals(Commands.ERROR)) {
                codes.add(Status.parse(command.argument(0)).code());
                return;
            }
            if (!command.name().equals(Commands.RESULT)) {
                return;
            }
            if (command.transactionId() == TX_CONNECT) {
                ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
            } else if (command.transactionId() == TX_CREATE_STREAM) {
                int streamId = Commands.parseCreateStreamResult(command);
                Command request = publish
                        ? new PublishRequest(stream, PublishRequest.Type.LIVE).toCommand(0)
                        : PlayRequest.of(stream).toCommand(0);
                ctx.writeAndFlush(new CommandMessage(streamId, request));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
