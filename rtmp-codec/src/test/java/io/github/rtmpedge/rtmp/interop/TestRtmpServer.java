package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.handshake.ServerHandshakeHandler;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.LimitType;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetChunkSize;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetPeerBandwidth;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.WindowAcknowledgementSize;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamBegin;
import io.github.rtmpedge.testkit.FreePorts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * A minimal, protocol-correct RTMP server scripted for tests, built only from the codec's handlers:
 * it accepts connect (Window Acknowledgement Size, Set Peer Bandwidth, Set Chunk Size, then
 * {@code _result}), releaseStream/FCPublish/createStream ({@code _result}, stream id 1), publish
 * (StreamBegin, NetStream.Publish.Start) and play (StreamBegin, Play.Reset, Play.Start,
 * {@code |RtmpSampleAccess}, then the configured FLV file in real time). Not the product server.
 */
final class TestRtmpServer implements AutoCloseable {

    static final long WINDOW = 2_500_000;
    static final int STREAM_ID = 1;

    private final int chunkSize;
    private final long window;
    private final Path playFile;
    private final Channel serverChannel;
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    /**
     * @param chunkSize our outbound chunk size, announced right after connect
     * @param playFile  what {@code play} plays out (null: play is answered but nothing is sent)
     */
    TestRtmpServer(EventLoopGroup group, int chunkSize, Path playFile) {
        this(group, chunkSize, WINDOW, playFile);
    }

    /** @param window the acknowledgement window and peer bandwidth we announce after connect */
    TestRtmpServer(EventLoopGroup group, int chunkSize, long window, Path playFile) {
        this.chunkSize = chunkSize;
        this.window = window;
        this.playFile = playFile;
        this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Session session = new Session();
                        sessions.add(session);
                        children.add(ch);
                        ScriptedPeer.install(ch.pipeline(), new ServerHandshakeHandler(), session);
                    }
                })
                .bind(new InetSocketAddress(FreePorts.LOOPBACK, 0))
                .syncUninterruptibly()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    String url(String app, String stream) {
        return "rtmp://127.0.0.1:" + port() + "/" + app + "/" + stream;
    }

    List<Session> sessions() {
        return sessions;
    }

    /** The first connection that sent connect, waiting for it up to {@code timeout}. */
    Session awaitConnected(Duration timeout) {
        return Awaitility.await("a client sends connect to " + url("live", ""))
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> sessions.stream()
                                .filter(s -> s.connect != null)
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        children.close().syncUninterruptibly();
    }

    /** One connection's script. */
    final class Session extends ScriptedPeer {
        volatile ConnectRequest connect;
        volatile PublishRequest publish;
        volatile PlayRequest play;
        volatile FlvPlayout playout;

        @Override
        void onCommand(ChannelHandlerContext ctx, CommandMessage message) {
            Command command = message.command();
            double txid = command.transactionId();
            switch (command.name()) {
                case ConnectRequest.NAME -> {
                    connect = ConnectRequest.parse(command);
                    ctx.write(new WindowAcknowledgementSize(window));
                    ctx.write(new SetPeerBandwidth(window, LimitType.DYNAMIC));
                    ctx.write(new SetChunkSize(chunkSize));
                    ctx.writeAndFlush(new CommandMessage(
                            0, ConnectResult.success(connect.objectEncoding()).toCommand(txid)));
                }
                case Commands.RELEASE_STREAM, Commands.FC_PUBLISH ->
                    ctx.writeAndFlush(new CommandMessage(0, Commands.result(txid, null)));
                case Commands.CREATE_STREAM ->
                    ctx.writeAndFlush(new CommandMessage(0, Commands.createStreamResult(txid, STREAM_ID)));
                case PublishRequest.NAME -> {
                    publish = PublishRequest.parse(command);
                    ctx.write(new StreamBegin(STREAM_ID));
                    ctx.writeAndFlush(onStatus(StatusCode.PUBLISH_START, "Publishing " + publish.name()));
                }
                case PlayRequest.NAME -> {
                    play = PlayRequest.parse(command);
                    ctx.write(new StreamBegin(STREAM_ID));
                    ctx.write(onStatus(StatusCode.PLAY_RESET, "Playing and resetting " + play.name()));
                    ctx.write(onStatus(StatusCode.PLAY_START, "Started playing " + play.name()));
                    ctx.writeAndFlush(
                            Messages.dataMessage(ctx.alloc(), 0, STREAM_ID, DataMessages.rtmpSampleAccess(true, true)));
                    if (playFile != null) {
                        FlvPlayout p = new FlvPlayout(
                                ctx.channel(), playFile, new FlvPlayout.Options(STREAM_ID, 0, false, false));
                        playout = p;
                        p.start();
                    }
                }
                default -> {
                    // getStreamLength, _checkbw, FCUnpublish, deleteStream, closeStream: nothing to answer
                }
            }
        }

        private CommandMessage onStatus(StatusCode code, String description) {
            return new CommandMessage(STREAM_ID, Commands.onStatus(Status.of(code, description)));
        }

        @Override
        void onClosed() {
            FlvPlayout p = playout;
            if (p != null) {
                p.stop();
            }
        }
    }
}
