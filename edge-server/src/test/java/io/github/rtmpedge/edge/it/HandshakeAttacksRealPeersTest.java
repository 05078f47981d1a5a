package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks before or during the handshake, beside a healthy stream ({@link HostileFixture}):
 * garbage, a wrong version byte, a handshake that never completes, and a slowloris of 2000 such
 * connections against max_connections = 500.
 */
class HandshakeAttacksRealPeersTest {

    private static final int MAX_CONNECTIONS = 500;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SLOWLORIS = 2000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static HostileFixture fixture;

    @BeforeAll
    static void start() {
        fixture = HostileFixture.start(
                dir,
                "max_connections = " + MAX_CONNECTIONS + "\nhandshake_timeout = " + HANDSHAKE_TIMEOUT.toMillis()
                        + "ms");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void garbageInsteadOfC0IsRefusedAtTheFirstByte() {
        HostileFixture.Window window = fixture.window("garbage instead of C0/C1");
        HostileFixture.Counted failures = fixture.counted("rtmp.handshake.failures", "kind", "invalid");
        try (RawRtmpClient attacker = RawRtmpClient.connect(fixture.port())) {
            byte[] http = "GET / HTTP/1.1\r\nHost: edge\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            attacker.sendRaw(Arrays.copyOf(http, 1537)); // as long as C0 + C1, zero-filled
            fixture.assertClosed(attacker, "protocol error: C0 version byte 0x47 is not supported");
        }
        failures.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    @Test
    void garbageAfterAValidVersionByteIsRefusedByTheChunkDecoder() {
        HostileFixture.Window window = fixture.window("garbage after C0");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "malformed");
        try (RawRtmpClient attacker = RawRtmpClient.connect(fixture.port())) {
            byte[] garbage = new byte[1 + 3 * 1536];
            Arrays.fill(garbage, (byte) 0xFF);
            garbage[0] = 3;
            // A simple handshake has nothing to verify in C1 and C2, so the garbage gets through it;
            // the first byte after it, 0xFF, is a format 3 chunk on chunk stream 63 that never had a header.
            attacker.sendRaw(garbage);
            assertTrue(attacker.closedByServerWithin(HostileFixture.WAIT));
            fixture.awaitClose(
                    attacker.localPort(),
                    "protocol error: chunk stream 63: format 3 header with no earlier format 0 or 1 header");
        }
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    @Test
    void wrongVersionByteIsRefused() {
        HostileFixture.Window window = fixture.window("wrong version byte");
        HostileFixture.Counted failures = fixture.counted("rtmp.handshake.failures", "kind", "invalid");
        try (RawRtmpClient attacker = RawRtmpClient.connect(fixture.port())) {
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 6; // RTMPE
            attacker.sendRaw(c0c1);
            fixture.assertClosed(attacker, "C0 version byte 0x06 asks for encrypted RTMP \\(RTMPE\\)");
        }
        failures.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    @Test
    void aHandshakeThatNeverCompletesIsClosedAtTheHandshakeTimeout() {
        HostileFixture.Window window = fixture.window("handshake never completes");
        HostileFixture.Counted failures = fixture.counted("rtmp.handshake.failures", "kind", "timeout");
        try (RawRtmpClient attacker = RawRtmpClient.connect(fixture.port())) {
            attacker.sendRaw(new byte[] {3, 0, 0, 0}); // C0 and the start of C1, then silence
            long started = System.nanoTime();
            assertTrue(attacker.closedByServerWithin(HostileFixture.WAIT));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(
                    millis >= HANDSHAKE_TIMEOUT.toMillis() - 200 && millis < HANDSHAKE_TIMEOUT.toMillis() + 3000,
                    "closed after " + millis + " ms");
            fixture.awaitClose(attacker.localPort(), "protocol error: handshake timed out after 2 s");
        }
        failures.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * 2000 connections that send one byte and nothing more. The server holds at most max_connections
     * (the healthy publisher and players among them); the rest are refused as they arrive, and the
     * handshake timeout clears the held ones.
     */
    @Test
    void slowlorisBeyondMaxConnectionsIsRefusedThenTimedOut() throws IOException {
        int attackers = slowlorisSize();
        HostileFixture.Window window = fixture.window("slowloris x" + attackers);
        int healthy = fixture.activeConnections();
        HostileFixture.Counted refusals = fixture.counted("rtmp.connections.rejected", "reason", "max_connections");
        HostileFixture.Counted timeouts = fixture.counted("rtmp.handshake.failures", "kind", "timeout");
        long trackerRejectedBefore = fixture.edge.server().rtmp().tracker().rejected();
        List<Socket> sockets = new ArrayList<>(attackers);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < attackers; i++) {
                Socket s = new Socket("127.0.0.1", fixture.port());
                sockets.add(s);
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(3);
                    out.flush();
                } catch (IOException refusedAlready) {
                    // the server may have closed it (max_connections) before the byte went out
                }
            }
            long openedMillis = (System.nanoTime() - started) / 1_000_000;
            window.sampleDuring();
            // Refusals happen as the server accepts; it may still be working through its backlog.
            double expectRefused = attackers - MAX_CONNECTIONS - 200;
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> refusals.increase() >= expectRefused);
            } catch (ConditionTimeoutException e) {
                // asserted below, with the figures
            }
            double rejected = refusals.increase();
            int peak = fixture.activeConnections();
            assertEquals(
                    rejected,
                    (double) (fixture.edge.server().rtmp().tracker().rejected() - trackerRejectedBefore),
                    "the meter is the tracker's count");
            System.out.printf(
                    "[hostile] slowloris: %d connections opened in %d ms; %d refused at max_connections %d; "
                            + "open now %d (healthy %d)%n",
                    attackers, openedMillis, (long) rejected, MAX_CONNECTIONS, peak, healthy);
            assertTrue(peak <= MAX_CONNECTIONS, "open " + peak);
            // Opening them takes well under the handshake timeout, so about attackers - (max - healthy) are refused.
            assertTrue(
                    rejected >= expectRefused,
                    "refused " + rejected + " of " + attackers + " (opened in " + openedMillis + " ms)");
            fixture.logs.await(
                    Pattern.compile("rejected /127\\.0\\.0\\.1:\\d+: max_connections \\(500\\) reached"),
                    HostileFixture.WAIT);
            // After the handshake timeout, only the healthy connections are left.
            Awaitility.await()
                    .atMost(HostileFixture.WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> fixture.activeConnections() == healthy);
            double timedOut = timeouts.increase();
            // Read again: on a loaded machine the server may still have been refusing its accept
            // backlog when the first figure was read.
            double refusedInAll = refusals.increase();
            System.out.printf(
                    "[hostile] slowloris: %d timed out in the handshake, %d refused in all; open after: %d%n",
                    (long) timedOut, (long) refusedInAll, fixture.activeConnections());
            assertTrue(
                    timedOut + refusedInAll >= attackers - 10, "timed out " + timedOut + ", refused " + refusedInAll);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        window.assertUnharmed(64);
    }

    /**
     * 2000 unless the file descriptor limit is too low: this JVM holds both ends of every accepted
     * connection (the client socket and the server's channel).
     */
    private static int slowlorisSize() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long spare = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 256;
            if (spare < 2L * SLOWLORIS) {
                int lowered = (int) Math.max(MAX_CONNECTIONS + 100, spare / 2);
                System.out.printf(
                        "[hostile] slowloris lowered to %d connections: %d file descriptors spare%n", lowered, spare);
                return lowered;
            }
        }
        return SLOWLORIS;
    }
}
