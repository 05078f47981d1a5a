package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.chunk.ChunkSizes;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetChunkSize;
import io.github.rtmpedge.rtmp.message.UserControlMessage.SetBufferLength;
import io.github.rtmpedge.testkit.FreePorts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A minimal RTMP client scripted for tests, built only from the codec's handlers. As a publisher:
 * Set Chunk Size, connect, releaseStream, FCPublish, createStream, publish, then on
 * NetStream.Publish.Start an FLV file in real time ({@link FlvPlayout}). As a player: connect,
 * createStream, play, Set Buffer Length; it records what arrives.
 */
final class TestRtmpClient extends ScriptedPeer {

    private static final double CONNECT_TXID = 1;

    private final String app;
    private final String stream;
    private final Path publishFile;
    private final int chunkSize;
    private final FlvPlayout.Options publishOptions;
    private String tcUrl;
    private double createStreamTxid;
    volatile ConnectResult connectResult;
    volatile int streamId = -1;
    volatile FlvPlayout playout;
    volatile Channel channel;

    private TestRtmpClient(String app, String stream, Path publishFile, int chunkSize, FlvPlayout.Options publishOptions) {
        this.app = app;
        this.stream = stream;
        this.publishFile = publishFile;
        this.chunkSize = chunkSize;
        this.publishOptions = publishOptions;
    }

    /**
     * A publisher of {@code file}.
     *
     * @param timestampOffset       added to every media timestamp
     * @param fullHeaderOnKeyframes send video keyframes with format 0 headers (absolute timestamps)
     */
    static TestRtmpClient publisher(String app, String stream, Path file, int chunkSize, long timestampOffset,
                                    boolean fullHeaderOnKeyframes) {
        // The stream id is not known yet; the options are completed when createStream answers.
        return new TestRtmpClient(app, stream, file, chunkSize,
                new FlvPlayout.Options(-1, timestampOffset, true, fullHeaderOnKeyframes));
    }

    static TestRtmpClient player(String app, String stream) {
        return new TestRtmpClient(app, stream, null, ChunkSizes.DEFAULT, null);
    }

    /** Connects to 127.0.0.1:{@code port}; the script runs from the end of the handshake on. */
    Channel connect(EventLoopGroup group, int port, HandshakeMode mode) {
        tcUrl = "rtmp://127.0.0.1:" + port + "/" + app;
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        install(ch.pipeline(), new ClientHandshakeHandler(mode), TestRtmpClient.this);
                    }
                })
                .connect(new InetSocketAddress(FreePorts.LOOPBACK, port))
                .syncUninterruptibly()
                .channel();
        return channel;
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
    }

    @Override
    void onHandshake(ChannelHandlerContext ctx, HandshakeCompleted done) {
        if (chunkSize != ChunkSizes.DEFAULT) {
            ctx.write(new SetChunkSize(chunkSize)); // as ffmpeg does: before connect, so that connect uses it
        }
        ConnectRequest connect = ConnectRequest.of(app, tcUrl, "LNX 9,0,124,2", null, null, 0);
        ctx.writeAndFlush(new CommandMessage(0, connect.toCommand(CONNECT_TXID)));
    }

    @Override
    void onCommand(ChannelHandlerContext ctx, CommandMessage message) {
        Command command = message.command();
        switch (command.name()) {
            case Commands.RESULT, Commands.ERROR -> {
                if (command.transactionId() == CONNECT_TXID) {
                    connectResult = ConnectResult.parse(command);
                    if (connectResult.success()) {
                        afterConnect(ctx);
                    }
                } else if (command.transactionId() == createStreamTxid && command.name().equals(Commands.RESULT)) {
                    streamId = Commands.parseCreateStreamResult(command);
                    afterCreateStream(ctx);
                }
            }
            case Commands.ON_STATUS -> {
                if (publishFile != null && playout == null
                        && StatusCode.PUBLISH_START.code().equals(Commands.parseOnStatus(command).code())) {
                    FlvPlayout p = new FlvPlayout(ctx.channel(), publishFile, new FlvPlayout.Options(streamId,
                            publishOptions.timestampOffset(), true, publishOptions.fullHeaderOnKeyframes()));
                    playout = p;
                    p.start();
                }
            }
            default -> {
                // onBWDone and the like: nothing to answer
            }
        }
    }

    private void afterConnect(ChannelHandlerContext ctx) {
        if (publishFile != null) {
            ctx.write(new CommandMessage(0, Commands.releaseStream(2, stream)));
            ctx.write(new CommandMessage(0, Commands.fcPublish(3, stream)));
            createStreamTxid = 4;
        } else {
            createStreamTxid = 2;
        }
        ctx.writeAndFlush(new CommandMessage(0, Commands.createStream(createStreamTxid)));
    }

    private void afterCreateStream(ChannelHandlerContext ctx) {
        if (publishFile != null) {
            ctx.writeAndFlush(new CommandMessage(streamId, new PublishRequest(stream, PublishRequest.Type.LIVE)
                    .toCommand(createStreamTxid + 1)));
        } else {
            ctx.write(new CommandMessage(streamId, PlayRequest.of(stream).toCommand(createStreamTxid + 1)));
            ctx.writeAndFlush(new SetBufferLength(streamId, 1000));
        }
    }

    @Override
    void onClosed() {
        FlvPlayout p = playout;
        if (p != null) {
            p.stop();
        }
    }
}
