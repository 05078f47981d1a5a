package io.github.rtmpedge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void pickedPortsAreDistinctAndCanBeBound() throws IOException {
        int[] ports = FreePorts.pick(5);

        assertEquals(5, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(FreePorts.LOOPBACK, port));
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    void awaitAcceptingReturnsWhileSomethingListens() throws IOException {
        int port = FreePorts.pick();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(FreePorts.LOOPBACK, port));

            FreePorts.awaitAccepting(port, Duration.ofSeconds(5));
            assertTrue(FreePorts.isAccepting(port));
        }
    }

    @Test
    void awaitRefusedReturnsOnceTheListenerCloses() throws IOException {
        int port = FreePorts.pick();
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(FreePorts.LOOPBACK, port));
        socket.close();

        FreePorts.awaitRefused(port, Duration.ofSeconds(5));
        assertFalse(FreePorts.isAccepting(port));
    }
}
