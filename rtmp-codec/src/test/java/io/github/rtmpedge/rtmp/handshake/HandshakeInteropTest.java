package io.github.rtmpedge.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handshake against real RTMP peers run as processes on 127.0.0.1: FFmpeg, librtmp
 * (rtmpdump) and GStreamer's rtmp2 as clients of our server; nginx-rtmp as the server of our
 * client. Each peer is a different implementation of the handshake.
 */
class HandshakeInteropTest {

    private static final long WAIT_SECONDS = 20;
    /** The Debian package of each program the tests start. */
    private static final Map<String, String> DEBIAN_PACKAGES =
            Map.of("ffmpeg", "ffmpeg", "rtmpdump", "rtmpdump", "gst-launch-1.0", "gstreamer1.0-tools");
    /** After C2 a client sends its connect command: basic header fmt 0 + csid 3, then 11 header bytes. */
    private static final int CONNECT_HEADER_LENGTH = 12;

    private static final int COMMAND_AMF0 = 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Process> processes = new ArrayList<>();
    private final CompletableFuture<Recorder> serverSide = new CompletableFuture<>();
    private final CompletableFuture<byte[]> afterHandshake = new CompletableFuture<>();

    @TempDir
    Path dir;

    private NginxRtmp nginx;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void ffmpegPublisherCompletesDigestHandshakeAndSendsConnect() throws Exception {
        int port = startServer();
        start(
                "ffmpeg.log",
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "debug",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=64x64:rate=5",
                "-t",
                "2",
                "-f",
                "flv",
                url(port));

        HandshakeCompleted done = awaitServerHandshake("ffmpeg.log");
        assertTrue(done.digest(), "FFmpeg sends a digest C1: " + done);
        assertTrue(done.peerAnswerVerified(), "FFmpeg's C2 is a digest answer over our S1 digest: " + done);
        assertConnectChunk(awaitBytesAfterHandshake("ffmpeg.log"));
    }

    @Test
    void ffmpegPlayerAcceptsOurDigestS1AndS2() throws Exception {
        int port = startServer();
        // As a player FFmpeg checks S1's Flash Media Server digest and S2's signature over its C1
        // digest, and gives up before sending connect if either is wrong.
        start("ffmpeg-play.log", "ffmpeg", "-nostdin", "-loglevel", "debug", "-i", url(port), "-f", "null", "-");

        HandshakeCompleted done = awaitServerHandshake("ffmpeg-play.log");
        assertTrue(done.digest(), done.toString());
        assertConnectChunk(awaitBytesAfterHandshake("ffmpeg-play.log"));
    }

    @Test
    void rtmpdumpPlayerCompletesHandshakeAndSendsConnect() throws Exception {
        int port = startServer();
        start("rtmpdump.log", "rtmpdump", "-r", url(port), "-o", "/dev/null", "-v");

        HandshakeCompleted done = awaitServerHandshake("rtmpdump.log");
        // librtmp uses the digest handshake only for RTMPE or SWF verification: plain rtmp:// is simple.
        assertEquals(new HandshakeCompleted(false, done.peerTime(), 0, done.peerAnswerVerified()), done);
        assertConnectChunk(awaitBytesAfterHandshake("rtmpdump.log"));
    }

    @Test
    void gstreamerRtmp2SinkCompletesHandshakeAndSendsConnect() throws Exception {
        int port = startServer();
        String encoder = gstElementExists("x264enc") ? "x264enc" : "openh264enc";
        start(
                "gst.log",
                "gst-launch-1.0",
                "videotestsrc",
                "num-buffers=10",
                "!",
                encoder,
                "!",
                "h264parse",
                "!",
                "flvmux",
                "!",
                "rtmp2sink",
                "location=" + url(port));

        HandshakeCompleted done = awaitServerHandshake("gst.log");
        assertEquals(false, done.digest(), "GStreamer rtmp2 does the simple handshake: " + done);
        assertConnectChunk(awaitBytesAfterHandshake("gst.log"));
    }

    @ParameterizedTest
    @EnumSource(HandshakeMode.class)
    void clientCompletesHandshakeWithNginxRtmp(HandshakeMode mode) throws Exception {
        int port = startNginx();
        Recorder client = new Recorder();
        Channel channel = connectWithRetry(port, mode, client);
        try {
            HandshakeCompleted done;
            try {
                done = client.completed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "no handshake with nginx; saw " + client.seen + "\n" + nginx.errorLogText(), e);
            }
            boolean digest = mode == HandshakeMode.DIGEST;
            assertEquals(digest, done.digest(), done.toString());
            assertTrue(done.peerAnswerVerified(), "nginx's S2 answers our C1: " + done);
            assertTrue(channel.isActive(), "nginx keeps the connection after the handshake");
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    private static String url(int port) {
        return "rtmp://127.0.0.1:" + port + "/live/s";
    }

    /** Our server on a random port: handshake handler, a byte collector, then a {@link Recorder} for events. */
    private int startServer() {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Recorder recorder = new Recorder();
                        if (serverSide.complete(recorder)) {
                            ch.pipeline()
                                    .addLast(new ServerHandshakeHandler(), new FirstBytes(afterHandshake), recorder);
                        } else {
                            ch.close(); // one connection per test; a retrying peer must not replace it
                        }
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private HandshakeCompleted awaitServerHandshake(String logName) throws Exception {
        try {
            Recorder recorder = serverSide.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return recorder.completed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            String seen = serverSide.isDone() ? serverSide.get().seen.toString() : "no connection";
            throw new AssertionError("no handshake; server saw " + seen + "\n" + log(logName), e);
        }
    }

    private byte[] awaitBytesAfterHandshake(String logName) throws Exception {
        try {
            return afterHandshake.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no bytes after the handshake\n" + log(logName), e);
        }
    }

    private static void assertConnectChunk(byte[] first) {
        assertEquals(0x03, first[0] & 0xFF, "basic header: fmt 0, chunk stream id 3");
        assertEquals(COMMAND_AMF0, first[7], "message type id: command (AMF0)");
    }

    /** Collects the first bytes after the handshake; completes once a whole chunk header is in. */
    private static final class FirstBytes extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<byte[]> result;
        private byte[] collected = new byte[0];

        FirstBytes(CompletableFuture<byte[]> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (collected.length < CONNECT_HEADER_LENGTH) {
                    byte[] more = new byte[Math.min(buf.readableBytes(), CONNECT_HEADER_LENGTH - collected.length)];
                    buf.readBytes(more);
                    collected = HandshakePacketsTest.concat(collected, more);
                    if (collected.length == CONNECT_HEADER_LENGTH) {
                        result.complete(collected);
                    }
                }
            } finally {
                buf.release();
            }
        }
    }

    /** nginx with the RTMP module on a free port (testkit's fixture waits until it accepts). */
    private int startNginx() {
        nginx = NginxRtmp.builder(dir.resolve("nginx")).start();
        return nginx.port();
    }

    private static boolean gstElementExists(String element) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Binaries.require("gst-inspect-1.0", "gstreamer1.0-tools")
                                .toString(),
                        "--exists",
                        element)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    /**
     * Connects our client to {@code port}, retrying on the event loop (every 100 ms, up to 20 s) while
     * nginx is still starting.
     */
    private Channel connectWithRetry(int port, HandshakeMode mode, Recorder recorder) throws Exception {
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        attempt(port, mode, recorder, connected, deadline);
        try {
            return connected.get(WAIT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("nginx did not accept connections\n" + nginx.errorLogText(), e.getCause());
        }
    }

    private void attempt(
            int port, HandshakeMode mode, Recorder recorder, CompletableFuture<Channel> connected, long deadline) {
        ChannelFuture future = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandshakeHandler(mode), recorder);
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port));
        future.addListener(f -> {
            if (f.isSuccess()) {
                connected.complete(future.channel());
            } else if (System.nanoTime() > deadline) {
                connected.completeExceptionally(f.cause());
            } else {
                group.schedule(() -> attempt(port, mode, recorder, connected, deadline), 100, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Starts {@code command}; a missing program fails naming its Debian package. */
    private void start(String logName, String... command) throws IOException {
        Path logFile = dir.resolve(logName);
        List<String> resolved = new ArrayList<>(List.of(command));
        resolved.set(
                0, Binaries.require(command[0], DEBIAN_PACKAGES.get(command[0])).toString());
        processes.add(new ProcessBuilder(resolved)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start());
    }

    /** The last lines of a peer's log, for failure messages. */
    private String log(String logName) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(logName), StandardCharsets.UTF_8);
            return logName + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return logName + ": " + e;
        }
    }
}
