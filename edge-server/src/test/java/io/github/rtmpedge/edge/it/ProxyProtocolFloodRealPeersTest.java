package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods of 200 silent connections with the PROXY protocol on (max_connections 50, handshake and
 * request timeout 2 s; RTMP from the balancer's address and direct, HTTP-FLV from the balancer's),
 * beside a healthy stream published and played through haproxy ({@code send-proxy}, from the
 * trusted 127.0.0.2): connections held at the gate count against the limit like any other, the rest
 * are refused and counted, and every silent one is gone after one timeout, not two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolFloodRealPeersTest {

    private static final int MAX_CONNECTIONS = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int FLOOD = 200;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STREAM = "flood";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private LogCapture logs;
    private EdgeUnderTest edge;
    private ManagedProcess haproxy;
    private ManagedProcess publisher;
    private EventLoopGroup group;
    private TinyRtmpPlayer player;
    private int healthy;

    @BeforeAll
    void startEdgeHaproxyAndAHealthyStream() throws IOException {
        logs = new LogCapture();
        edge = EdgeUnderTest.start(
                dir.resolve("edge"),
                "max_connections = " + MAX_CONNECTIONS + "\nhandshake_timeout = " + TIMEOUT.toMillis() + "ms\n"
                        + "proxy_protocol { enabled = on, trusted = [\"127.0.0.2/32\"] }\n"
                        + "http_server { enabled = on, listen = \"127.0.0.1:0\", max_connections = " + MAX_CONNECTIONS
                        + " }\nhttp_limits.request_timeout = " + TIMEOUT.toMillis() + "ms\n");
        int front = FreePorts.pick();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(
                cfg,
                "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n"
                        + "frontend rtmp\n  bind 127.0.0.1:" + front + "\n  default_backend edge\n"
                        + "backend edge\n  server edge 127.0.0.1:" + edge.port() + " send-proxy source 127.0.0.2\n");
        haproxy = ManagedProcess.builder(
                        "haproxy",
                        List.of(Binaries.require("haproxy", "haproxy").toString(), "-db", "-f", cfg.toString()))
                .logDir(dir.resolve("logs"))
                .start();
        Awaitility.await("haproxy listening")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> accepts(front));
        publisher = new Ffmpeg(dir.resolve("logs"))
                .publish("rtmp://127.0.0.1:" + front + "/" + EdgeUnderTest.APP + "/" + STREAM, TestMedia.small(), true);
        logs.await(Pattern.compile("stream live/" + STREAM + " source attached"), WAIT);
        group = Transports.newGroup(1, "healthy-player");
        player = TinyRtmpPlayer.play(group, front, EdgeUnderTest.APP, STREAM);
        Awaitility.await("the healthy player receives video").atMost(WAIT).until(() -> player.videoMessages() > 10);
        // Both came through the balancer, so the edge logged them under the client's address (so did
        // haproxy's connection for the probe above, which it opened and closed).
        assertTrue(logs.count(Pattern.compile("open /127\\.0\\.0\\.1:\\d+ via 127\\.0\\.0\\.2:\\d+ \\(")) >= 2);
        Awaitility.await("only the publisher and the player open")
                .atMost(WAIT)
                .until(() -> edge.server().rtmp().tracker().active() == 2);
        healthy = 2;
    }

    @AfterAll
    void stopAll() {
        if (player != null) {
            player.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (edge != null) {
            edge.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The RTMP listener: its tracker, whose refusals are also rtmp_connections_rejected_total. */
    private Listener rtmp() {
        return new Listener(
                edge.port(),
                () -> edge.server().rtmp().tracker().active(),
                () -> {
                    double meter = count("rtmp.connections.rejected", "reason", "max_connections");
                    assertEquals(
                            meter,
                            (double) edge.server().rtmp().tracker().rejected(),
                            "the meter is the tracker's count");
                    return meter;
                },
                healthy);
    }

    /** The HTTP-FLV listener (http_server.max_connections); nothing healthy on it. */
    private Listener flv() {
        return new Listener(
                edge.server().flvAddress().getPort(),
                () -> edge.server().flv().active(),
                () -> count("http.connections.rejected", "listener", "flv"),
                0);
    }

    /** Silent connections from a trusted balancer's address: held at the gate, never a header. */
    @Test
    void silentConnectionsFromTheBalancerAreBoundedThenTimedOut() throws Exception {
        double timedOutBefore = count("rtmp.proxy.protocol.rejected", "reason", "timeout", "protocol", "rtmp");
        Flood flood = flood("127.0.0.2", rtmp());
        double timedOut =
                count("rtmp.proxy.protocol.rejected", "reason", "timeout", "protocol", "rtmp") - timedOutBefore;
        System.out.printf(
                "MEASURE proxy-protocol flood from the balancer: %d silent connections, at most %d open "
                        + "(max_connections %d), %d refused at the limit, %d held and timed out at the gate, "
                        + "cleared %d ms after the first; healthy player's longest silence %d ms%n",
                FLOOD,
                flood.peak,
                MAX_CONNECTIONS,
                (long) flood.refused,
                (long) timedOut,
                flood.clearedMillis,
                flood.longestSilenceMillis);
        assertEquals(FLOOD, (long) (flood.refused + timedOut), "each one refused at the limit or timed out once");
        logs.await(Pattern.compile("rejected /127\\.0\\.0\\.2:\\d+: max_connections \\(50\\) reached"), WAIT);
    }

    /** Silent direct clients: their own handshake timeout, the only one, closes them. */
    @Test
    void silentDirectClientsAreBoundedThenTimedOutOnce() throws Exception {
        double timedOutBefore = count("rtmp.handshake.failures", "kind", "timeout");
        Flood flood = flood("127.0.0.1", rtmp());
        double timedOut = count("rtmp.handshake.failures", "kind", "timeout") - timedOutBefore;
        System.out.printf(
                "MEASURE proxy-protocol flood of direct clients: %d silent connections, at most %d open "
                        + "(max_connections %d), %d refused at the limit, %d timed out in the handshake, "
                        + "cleared %d ms after the first; healthy player's longest silence %d ms%n",
                FLOOD,
                flood.peak,
                MAX_CONNECTIONS,
                (long) flood.refused,
                (long) timedOut,
                flood.clearedMillis,
                flood.longestSilenceMillis);
        assertEquals(FLOOD, (long) (flood.refused + timedOut), "each one refused at the limit or timed out once");
        logs.await(Pattern.compile("rejected /127\\.0\\.0\\.1:\\d+: max_connections \\(50\\) reached"), WAIT);
    }

    /** The same on the HTTP-FLV listener: its connection limit holds the connections at the gate too. */
    @Test
    void silentHttpConnectionsFromTheBalancerAreBoundedThenTimedOut() throws Exception {
        double timedOutBefore = count("rtmp.proxy.protocol.rejected", "reason", "timeout", "protocol", "http_flv");
        Flood flood = flood("127.0.0.2", flv());
        double timedOut =
                count("rtmp.proxy.protocol.rejected", "reason", "timeout", "protocol", "http_flv") - timedOutBefore;
        System.out.printf(
                "MEASURE proxy-protocol HTTP-FLV flood from the balancer: %d silent connections, at most %d open "
                        + "(max_connections %d), %d refused at the limit, %d held and timed out at the gate, "
                        + "cleared %d ms after the first%n",
                FLOOD, flood.peak, MAX_CONNECTIONS, (long) flood.refused, (long) timedOut, flood.clearedMillis);
        assertEquals(FLOOD, (long) (flood.refused + timedOut), "each one refused at the limit or timed out once");
        logs.await(Pattern.compile("flv listener: refused /127\\.0\\.0\\.2:\\d+: 50 connections open"), WAIT);
    }

    /** A listener under attack: its port, its open connections, its refusals at the limit, its healthy ones. */
    private record Listener(int port, IntSupplier active, DoubleSupplier refused, int healthy) {}

    /** What a flood did. */
    private record Flood(int peak, double refused, long clearedMillis, long longestSilenceMillis) {}

    /**
     * Opens {@link #FLOOD} silent connections from {@code from}, then asserts what every flood must
     * show: never more than max_connections open, the rest refused and counted (meter = tracker),
     * all of them closed by the server within one timeout of the last, and the healthy stream unharmed.
     */
    private Flood flood(String from, Listener listener) throws Exception {
        double refusedBefore = listener.refused().getAsDouble();
        AtomicInteger peak = new AtomicInteger();
        AtomicLong longestSilence = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> sample(listener.active(), peak, longestSilence, sampling), "flood-sampler");
        sampler.start();
        List<Socket> sockets = new ArrayList<>(FLOOD);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5000);
            }
            long opened = System.nanoTime();
            // Every one of them is closed by the server: at once at the limit, or at the timeout.
            for (Socket s : sockets) {
                assertClosedByServer(s);
            }
            Awaitility.await("only the healthy connections left")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> listener.active().getAsInt() == listener.healthy());
            long clearedMillis = (System.nanoTime() - started) / 1_000_000;
            long openingMillis = (opened - started) / 1_000_000;
            sampling.set(false);
            sampler.join();
            double refused = listener.refused().getAsDouble() - refusedBefore;
            assertTrue(peak.get() <= MAX_CONNECTIONS, "open at most max_connections: " + peak.get());
            assertTrue(peak.get() >= MAX_CONNECTIONS - 5, "the flood did fill the listener: " + peak.get());
            assertTrue(
                    refused >= FLOOD - MAX_CONNECTIONS, "refused " + refused + " (opened in " + openingMillis + " ms)");
            // Two timeouts (the gate's, then the handshake's) could not clear before 2 x TIMEOUT.
            assertTrue(
                    clearedMillis < openingMillis + TIMEOUT.toMillis() + 1500 && clearedMillis < 2 * TIMEOUT.toMillis(),
                    "cleared after " + clearedMillis + " ms (opened in " + openingMillis + " ms)");
            assertTrue(player.connected(), "the healthy player is still connected");
            assertTrue(publisher.isAlive(), "the healthy publisher is still publishing");
            assertTrue(longestSilence.get() < 1500, "the healthy player's longest silence: " + longestSilence.get());
            return new Flood(peak.get(), refused, clearedMillis, longestSilence.get());
        } finally {
            sampling.set(false);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Samples the open connections and the healthy player's video until told to stop. */
    private void sample(IntSupplier active, AtomicInteger peak, AtomicLong longestSilence, AtomicBoolean sampling) {
        long lastVideo = player.videoMessages();
        long lastChange = System.nanoTime();
        while (sampling.get()) {
            peak.accumulateAndGet(active.getAsInt(), Math::max);
            long now = System.nanoTime();
            long video = player.videoMessages();
            if (video != lastVideo) {
                lastVideo = video;
                lastChange = now;
            }
            longestSilence.accumulateAndGet((now - lastChange) / 1_000_000, Math::max);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static void assertClosedByServer(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        try (InputStream in = s.getInputStream()) {
            assertEquals(-1, in.read(), "the server sent nothing and closed");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not closed by the server within " + WAIT, e);
        } catch (IOException reset) {
            // closed by the server with a reset: closed all the same
        }
    }

    private double count(String meter, String... tags) {
        double sum = 0;
        for (Meter m : edge.server().metrics().registry().find(meter).tags(tags).meters()) {
            for (Measurement measurement : m.measure()) {
                sum += measurement.getValue();
                break;
            }
        }
        return sum;
    }
}
