package io.github.rtmpedge.edge.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal HTTP-FLV player for the tests: HTTP/1.0 (so the body is the plain FLV, unframed), the
 * status and headers, the FLV header, then every tag, noting when the first video keyframe arrived
 * and whether video timestamps ever went back. Reads on a thread of its own until closed or the
 * server ends the body.
 */
final class FlvHttpReader implements AutoCloseable {

    private final Socket socket = new Socket();
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Long> firstKeyframeNanos = new CompletableFuture<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    // Written by the reading thread only; read by the test.
    private final java.util.concurrent.atomic.AtomicLong videoTags = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastVideoTimestamp = -1;
    private final java.util.concurrent.atomic.AtomicLong regressions = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean headerSeen;

    private FlvHttpReader() {}

    /** GETs {@code path} from 127.0.0.1:{@code port} and starts reading. */
    static FlvHttpReader get(int port, String path) throws IOException {
        FlvHttpReader r = new FlvHttpReader();
        r.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = r.socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread t = new Thread(r::read, "flv-reader-" + port);
        t.setDaemon(true);
        t.start();
        return r;
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String statusLine = line(in);
            status.complete(Integer.parseInt(statusLine.split(" ")[1]));
            while (!line(in).isEmpty()) {
                // headers
            }
            byte[] header = new byte[9 + 4];
            in.readFully(header);
            headerSeen = header[0] == 'F' && header[1] == 'L' && header[2] == 'V';
            while (true) {
                int type = in.readUnsignedByte();
                int size = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                long ts = ((long) in.readUnsignedByte() << 16) | in.readUnsignedShort();
                ts |= (long) in.readUnsignedByte() << 24;
                in.skipNBytes(3); // stream id
                byte[] data = new byte[size];
                in.readFully(data);
                in.skipNBytes(4); // previous tag size
                if (type == 9 && size >= 2) {
                    boolean key = (data[0] >> 4 & 0x0F) == 1;
                    boolean nalu = data[1] == 1;
                    if (nalu) {
                        videoTags.incrementAndGet();
                        if (ts < lastVideoTimestamp) {
                            regressions.incrementAndGet();
                        }
                        lastVideoTimestamp = ts;
                        if (key) {
                            firstKeyframeNanos.complete(System.nanoTime() - startNanos);
                        }
                    }
                }
            }
        } catch (EOFException e) {
            ended.complete(null);
        } catch (IOException | RuntimeException e) {
            ended.complete(null);
        } finally {
            status.complete(-1);
            firstKeyframeNanos.completeExceptionally(new IOException("no keyframe before the body ended"));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    CompletableFuture<Integer> status() {
        return status;
    }

    /** Nanoseconds from the request to the first video keyframe. */
    CompletableFuture<Long> firstKeyframeNanos() {
        return firstKeyframeNanos;
    }

    /** Completes when the server ended the body (or the connection). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    boolean flvHeaderSeen() {
        return headerSeen;
    }

    long videoTags() {
        return videoTags.get();
    }

    long lastVideoTimestamp() {
        return lastVideoTimestamp;
    }

    long regressions() {
        return regressions.get();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }
}
