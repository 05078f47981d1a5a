package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkSizes;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.client.RtmpClientListener;
import io.github.rtmpedge.rtmp.client.RtmpClientPipeline;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.testkit.FreePorts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The codec's client ({@link RtmpClientHandler}) with everything it receives recorded into a
 * {@link PeerLog}. As a publisher it sends an FLV file in real time ({@link FlvPlayout}) once
 * NetStream.Publish.Start came; as a player it records what arrives. A failure other than our own
 * close is recorded as an error.
 */
final class TestRtmpClient implements RtmpClientListener {

    final PeerLog log = new PeerLog();
    private final String app;
    private final String stream;
    private final Path publishFile;
    private final int chunkSize;
    private final FlvPlayout.Options publishOptions;
    private volatile boolean closing;
    volatile FlvPlayout playout;
    volatile Channel channel;

    private TestRtmpClient(
            String app, String stream, Path publishFile, int chunkSize, FlvPlayout.Options publishOptions) {
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
    static TestRtmpClient publisher(
            String app, String stream, Path file, int chunkSize, long timestampOffset, boolean fullHeaderOnKeyframes) {
        // The stream id is not known yet; the options are completed when the publish starts.
        return new TestRtmpClient(
                app, stream, file, chunkSize, new FlvPlayout.Options(-1, timestampOffset, true, fullHeaderOnKeyframes));
    }

    static TestRtmpClient player(String app, String stream) {
        return new TestRtmpClient(app, stream, null, ChunkSizes.DEFAULT, null);
    }

    /** Connects to 127.0.0.1:{@code port}; the conversation starts at the end of the handshake. */
    Channel connect(EventLoopGroup group, int port, HandshakeMode mode) {
        String tcUrl = "rtmp://127.0.0.1:" + port + "/" + app;
        RtmpClientConfig config;
        if (publishFile != null) {
            RtmpClientConfig.Builder b = RtmpClientConfig.publish(app, tcUrl, stream);
            config = (chunkSize == ChunkSizes.DEFAULT ? b : b.chunkSize(chunkSize)).build();
        } else {
            config =
                    RtmpClientConfig.play(app, tcUrl, stream).bufferLength(1000).build();
        }
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        RtmpClientPipeline.install(p, new RtmpClientHandler(config, TestRtmpClient.this), mode);
                        p.addAfter(
                                RtmpClientPipeline.CHUNK_DECODER,
                                "chunk-tap",
                                new ChunkTap(p.get(ChunkDecoder.class), log));
                        p.addBefore(RtmpClientPipeline.CLIENT, "recorder", new PeerRecorder(log));
                    }
                })
                .connect(new InetSocketAddress(FreePorts.LOOPBACK, port))
                .syncUninterruptibly()
                .channel();
        return channel;
    }

    void close() {
        closing = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
    }

    @Override
    public void started(RtmpClientHandler client, int streamId) {
        if (publishFile != null) {
            FlvPlayout p = new FlvPlayout(
                    client.channel(),
                    publishFile,
                    new FlvPlayout.Options(
                            streamId, publishOptions.timestampOffset(), true, publishOptions.fullHeaderOnKeyframes()));
            playout = p;
            p.start();
        }
    }

    @Override
    public void failed(RtmpClientHandler client, String reason) {
        FlvPlayout p = playout;
        if (p != null) {
            p.stop();
        }
        if (!closing) {
            log.errors.add(new IllegalStateException(reason));
        }
    }
}
