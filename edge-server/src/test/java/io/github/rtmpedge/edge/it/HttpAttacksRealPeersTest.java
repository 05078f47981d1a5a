package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input catalogue's HTTP cases, against both HTTP listeners (the API port and
 * HTTP-FLV) beside a healthy stream and its players: half requests (a slow-loris crowd), a huge
 * header, a huge request line, an idle kept-alive connection, and an HTTP-FLV player that never
 * reads. Each is answered or cut off, logged and counted; the healthy players are unharmed and
 * memory stays bounded.
 */
class HttpAttacksRealPeersTest {

    private static final String LIMITS = """
            queue_length = 3s
            queue_max_bytes = 256KiB
            http_api { enabled = on, listen = "127.0.0.1:0", max_connections = 64 }
            http_server { enabled = on, listen = "127.0.0.1:0", max_connections = 600 }
            http_limits { request_timeout = 2s, keep_alive_timeout = 2s }
            """;
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(15);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static HostileFixture fixture;

    @BeforeAll
    static void start() {
        fixture = HostileFixture.start(dir, LIMITS);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int apiPort() {
        return fixture.edge.server().httpAddress().getPort();
    }

    private static int flvPort() {
        return fixture.edge.server().flvAddress().getPort();
    }

    /** Opens a connection to {@code port} and writes {@code request}; a refused write is a closed connection. */
    private static Socket send(int port, String request) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        try {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        } catch (IOException resetAlready) {
            // the listener refused it at once (its connection limit)
        }
        return s;
    }

    /** What the server sent before it closed the connection, or null if it did not close it in time. */
    private static String readUntilClosed(Socket s, long deadlineNanos) {
        StringBuilder got = new StringBuilder();
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                s.setSoTimeout((int) left);
                int n = in.read(buf);
                if (n < 0) {
                    return got.toString();
                }
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException reset) {
            return got.toString();
        }
    }

    private void halfRequests(String listener, int port, int connections) throws IOException {
        HostileFixture.Window window = fixture.window(connections + " half requests on the " + listener + " port");
        HostileFixture.Counted rejected =
                fixture.counted("http.connections.rejected", "listener", listener, "reason", "max_connections");
        HostileFixture.Counted timedOut =
                fixture.counted("http.requests.rejected", "listener", listener, "reason", "request_timeout");
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(send(port, "GET /healthz HTTP/1.1\r\nHost: edge\r\nX-Half: "));
        }
        window.sampleDuring();
        long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
        int closed = 0;
        int answered408 = 0;
        for (Socket s : sockets) {
            String got = readUntilClosed(s, deadline);
            if (got != null) {
                closed++;
                answered408 += got.startsWith("HTTP/1.1 408") ? 1 : 0;
            }
        }
        System.out.printf(
                "[hostile] %d half requests on the %s port: %d closed by the server (%d with 408), %.0f refused"
                        + " at the connection limit, %.0f timed out%n",
                connections, listener, closed, answered408, rejected.increase(), timedOut.increase());
        assertEquals(connections, closed, "every half request's connection was closed");
        assertEquals(connections, rejected.increase() + timedOut.increase(), "each was refused or timed out");
        assertTrue(timedOut.increase() > 0 && answered408 > 0, "the admitted ones were answered 408");
        fixture.logs.await(Pattern.compile(listener + " listener: 408 request_timeout from"), HostileFixture.WAIT);
        window.assertUnharmed(48);
    }

    @Test
    void fifteenHundredHalfRequestsOnTheApiPortAreRefusedOrTimedOut() throws IOException {
        halfRequests("api", apiPort(), 1500);
        fixture.logs.await(Pattern.compile("api listener: refused .*max_connections"), HostileFixture.WAIT);
    }

    @Test
    void fiveHundredHalfRequestsOnTheFlvPortTimeOut() throws IOException {
        halfRequests("flv", flvPort(), 500);
    }

    private void oversized(String listener, int port, String request, int status, String reason) throws IOException {
        HostileFixture.Window window = fixture.window(reason + " on the " + listener + " port");
        HostileFixture.Counted refused =
                fixture.counted("http.requests.rejected", "listener", listener, "reason", reason);
        String got = readUntilClosed(send(port, request), System.nanoTime() + CLOSED_WITHIN.toNanos());
        assertTrue(got != null && got.startsWith("HTTP/1.1 " + status), () -> "answered: " + got);
        refused.assertIncreasedBy(1);
        fixture.logs.await(
                Pattern.compile(listener + " listener: " + status + " " + reason + " from"), HostileFixture.WAIT);
        window.assertUnharmed(16);
    }

    @Test
    void aHeaderOf200KilobytesIsAnswered431OnBothPorts() throws IOException {
        String request = "GET /healthz HTTP/1.1\r\nHost: edge\r\nX-Big: " + "a".repeat(200 * 1024) + "\r\n\r\n";
        oversized("api", apiPort(), request, 431, "header_too_large");
        oversized("flv", flvPort(), request.replace("/healthz", "/live/healthy.flv"), 431, "header_too_large");
    }

    @Test
    void aRequestLineOf20KilobytesIsAnswered414OnBothPorts() throws IOException {
        String request = "GET /" + "a".repeat(20 * 1024) + " HTTP/1.1\r\nHost: edge\r\n\r\n";
        oversized("api", apiPort(), request, 414, "uri_too_long");
        oversized("flv", flvPort(), request, 414, "uri_too_long");
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws IOException {
        HostileFixture.Counted idle = fixture.counted("http.idle.closed", "listener", "api");
        Socket s = send(apiPort(), "GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n");
        long start = System.nanoTime();
        String got = readUntilClosed(s, System.nanoTime() + CLOSED_WITHIN.toNanos());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(got != null && got.startsWith("HTTP/1.1 200") && got.endsWith("ok\n"), () -> "answered: " + got);
        assertTrue(millis >= 1500, "closed after " + millis + " ms, not before keep_alive_timeout");
        idle.assertIncreasedBy(1);
    }

    /**
     * An HTTP-FLV player with a tiny receive buffer that never reads: its backlog is cut back
     * (frames dropped, counted) and after queue_length without progress it is disconnected as too
     * slow, like a slow RTMP player.
     */
    @Test
    void anHttpFlvPlayerThatNeverReadsIsShed() throws IOException {
        HostileFixture.Window window = fixture.window("HTTP-FLV player that never reads");
        HostileFixture.Counted slow =
                fixture.counted("rtmp.slow.disconnects", "protocol", "http_flv", "role", "player");
        HostileFixture.Counted dropped =
                fixture.counted("rtmp.messages.dropped", "protocol", "http_flv", "reason", "slow_player");
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", flvPort()), 5000);
        int localPort = s.getLocalPort();
        s.getOutputStream()
                .write("GET /live/healthy.flv HTTP/1.1\r\nHost: edge\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (s) {
            fixture.awaitClose(localPort, "HTTP-FLV player of live/healthy, too slow");
        }
        window.sampleDuring();
        slow.assertIncreasedBy(1);
        assertTrue(dropped.increase() > 0, "frames were dropped before the disconnect");
        window.assertUnharmed(32);
    }
}
