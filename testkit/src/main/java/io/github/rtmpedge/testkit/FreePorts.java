package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Free TCP ports on 127.0.0.1. Other programs on the machine may hold the well-known RTMP ports
 * (1935, 19350), so every fixture listens on a port chosen here.
 *
 * <p>A port is found by binding port 0 and closing the socket; another process could take it
 * before the caller binds it, which is unlikely enough for tests (the kernel hands out ephemeral
 * ports in rotation).
 */
public final class FreePorts {

    /** The only address fixtures listen on. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final Duration POLL = Duration.ofMillis(50);

    private FreePorts() {}

    /** One free port on 127.0.0.1. */
    public static int pick() {
        return pick(1)[0];
    }

    /** {@code count} distinct free ports on 127.0.0.1 (all bound at once while choosing, so they differ). */
    public static int[] pick(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                // No SO_REUSEADDR: the port must be genuinely free, not in TIME_WAIT.
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(LOOPBACK, 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket we own does not fail in a way a test can act on.
                }
            }
        }
    }

    /** True when a TCP connection to 127.0.0.1:{@code port} succeeds within 500 ms. */
    public static boolean isAccepting(int port) {
        return isAccepting(LOOPBACK.getHostAddress(), port);
    }

    /** True when a TCP connection to {@code ip}:{@code port} (an IP literal) succeeds within 500 ms. */
    public static boolean isAccepting(String ip, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until 127.0.0.1:{@code port} accepts connections; fails with a ConditionTimeoutException otherwise. */
    public static void awaitAccepting(int port, Duration timeout) {
        awaitAccepting(LOOPBACK.getHostAddress(), port, timeout);
    }

    /** Waits until {@code ip}:{@code port} accepts connections (another loopback address, 127.0.0.2...). */
    public static void awaitAccepting(String ip, int port, Duration timeout) {
        Awaitility.await(ip + ":" + port + " accepts connections")
                .atMost(timeout)
                .pollInterval(POLL)
                .pollDelay(Duration.ZERO)
                .until(() -> isAccepting(ip, port));
    }

    /** Waits until 127.0.0.1:{@code port} refuses connections (nothing listens any more). */
    public static void awaitRefused(int port, Duration timeout) {
        awaitRefused(LOOPBACK.getHostAddress(), port, timeout);
    }

    /** Waits until {@code ip}:{@code port} refuses connections (nothing listens there any more). */
    public static void awaitRefused(String ip, int port, Duration timeout) {
        Awaitility.await(ip + ":" + port + " refuses connections")
                .atMost(timeout)
                .pollInterval(POLL)
                .pollDelay(Duration.ZERO)
                .until(() -> !isAccepting(ip, port));
    }
}
