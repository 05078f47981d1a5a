package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.handshake.HandshakePackets;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;

/**
 * A blocking-socket RTMP client for attacks: it writes exactly the bytes a test asks for, either
 * raw or encoded with the codec's own encoders (run in an {@link EmbeddedChannel}), and reads the
 * server's answers only when asked. Not thread-safe; one test thread drives it.
 */
final class RawRtmpClient implements AutoCloseable {

    private static final int PACKET = 1536;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder(), new MessageEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder(), new MessageDecoder());

    private RawRtmpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    static RawRtmpClient connect(int port) {
        try {
            return new RawRtmpClient(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and completes a simple handshake (C0 3, C1 zero version; C2 echoes S1). */
    static RawRtmpClient handshaken(int port) {
        RawRtmpClient client = connect(port);
        try {
            byte[] c1 = HandshakePackets.createSimple(0, new Random(1));
            client.sendRaw(new byte[] {3});
            client.sendRaw(c1);
            byte[] s0s1s2 = client.in.readNBytes(1 + 2 * PACKET);
            if (s0s1s2.length != 1 + 2 * PACKET || s0s1s2[0] != 3) {
                throw new IllegalStateException("no S0/S1/S2: " + s0s1s2.length + " bytes");
            }
            byte[] s1 = java.util.Arrays.copyOfRange(s0s1s2, 1, 1 + PACKET);
            client.sendRaw(HandshakePackets.createEcho(s1, 0));
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Handshake, connect to {@code live}, createStream (stream 1), and nothing else yet. */
    static RawRtmpClient connectedToApp(int port) {
        RawRtmpClient client = handshaken(port);
        client.send(new CommandMessage(
                0,
                ConnectRequest.of(
                                EdgeUnderTest.APP,
                                "rtmp://127.0.0.1:" + port + "/" + EdgeUnderTest.APP,
                                "FMLE/3.0",
                                null,
                                null,
                                0)
                        .toCommand(1)));
        client.send(new CommandMessage(0, Commands.createStream(2)));
        return client;
    }

    /** Connected, publishing {@code stream} on message stream 1, and the server said Publish.Start. */
    static RawRtmpClient publishing(int port, String stream, Duration timeout) {
        RawRtmpClient client = connectedToApp(port);
        client.send(new CommandMessage(1, new PublishRequest(stream, PublishRequest.Type.LIVE).toCommand(0)));
        client.awaitStatus("NetStream.Publish.Start", timeout);
        return client;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendRaw(ByteBuf bytes) {
        try {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.readBytes(copy);
            sendRaw(copy);
        } finally {
            bytes.release();
        }
    }

    /**
     * Encodes {@code message} (an {@link RtmpMessage}, or a {@link io.github.rtmpedge.rtmp.chunk.RawMessage}
     * with any type and payload) with the codec (header compression, chunking at our chunk size) and sends it.
     */
    void send(Object message) {
        encoder.writeOutbound(message);
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
            sendRaw(b);
        }
    }

    /** As {@link #send}, but returns the bytes instead of sending them (to cut them up). */
    byte[] encode(Object message) {
        encoder.writeOutbound(message);
        ByteBuf all = Unpooled.buffer();
        try {
            for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
                all.writeBytes(b);
                b.release();
            }
            byte[] bytes = new byte[all.readableBytes()];
            all.readBytes(bytes);
            return bytes;
        } finally {
            all.release();
        }
    }

    /** Reads and decodes what the server sends until an onStatus with {@code code} arrives. */
    void awaitStatus(String code, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout(200);
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (n < 0) {
                    throw new IllegalStateException("server closed before " + code);
                }
                decoder.writeInbound(Unpooled.wrappedBuffer(buffer.clone(), 0, n));
                for (Object m; (m = decoder.readInbound()) != null; ) {
                    try {
                        if (m instanceof CommandMessage c && isStatus(c.command(), code)) {
                            drainInbound();
                            return;
                        }
                    } finally {
                        ReferenceCountUtil.release(m);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + code + " within " + timeout);
    }

    private static boolean isStatus(Command command, String code) {
        return Commands.ON_STATUS.equals(command.name())
                && code.equals(Commands.parseOnStatus(command).code());
    }

    private void drainInbound() {
        for (Object m; (m = decoder.readInbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }

    /**
     * Whether the server closed the connection within {@code timeout}: reads (and discards) until the
     * end of the stream or a reset.
     */
    boolean closedByServerWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[16384];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout(100);
                try {
                    if (in.read(buffer) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // still open
                }
            }
            return false;
        } catch (SocketException e) {
            return true; // reset by the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0) instead of a FIN. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
