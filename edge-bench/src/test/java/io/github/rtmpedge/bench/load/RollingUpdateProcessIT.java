package io.github.rtmpedge.bench.load;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling update the way a Kubernetes Service and a RollingUpdate do it, simulated with processes:
 * haproxy in TCP mode health-checking {@code /readyz} (inter 500ms fall 2 rise 2) in front of 3 edge
 * processes (the shaded jar, remote mode) pulling from an nginx-rtmp origin fed by ffmpeg, and
 * players from the load client that reconnect 100 ms after a close. Each edge in turn is replaced:
 * start the new one, wait until haproxy sends to it, {@code kill -QUIT} the old one, wait for exit 0.
 * Small scale (30 players) in the normal build, any scale on demand with {@code -Drolling.players=N}; the
 * figures are printed.
 */
class RollingUpdateProcessIT {

    private static final Path JAR = Path.of(System.getProperty("edge.jar", "../edge-server/target/edge-server.jar"));
    private static final Path LOGS = Path.of("target", "rolling-update");
    private static final int EDGES = 3;
    /** Small scale in the normal build; on demand e.g. {@code -Drolling.players=300}. */
    private static final int PLAYERS = Integer.getInteger("rolling.players", 30);

    private static final String STREAM = "roll";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private LoadClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.stop();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void replacingEveryEdgeLosesNoPlayer() throws Exception {
        Files.createDirectories(LOGS);
        NginxRtmp origin = track(NginxRtmp.builder(LOGS.resolve("origin")).start());
        track(new Ffmpeg(LOGS).publish(origin.rtmpUrl(STREAM), TestMedia.small(), true));

        // Slots 0-2: the first edges; slots 3-5: their replacements. Each slot: RTMP port, HTTP port.
        int[] ports = FreePorts.pick(2 * EDGES * 2 + 1);
        int frontPort = ports[ports.length - 1];
        Path socket = LOGS.resolve("haproxy.sock").toAbsolutePath();
        Files.deleteIfExists(socket);
        ManagedProcess haproxy = track(startHaproxy(ports, frontPort, socket));
        ManagedProcess[] edges = new ManagedProcess[2 * EDGES];
        for (int slot = 0; slot < EDGES; slot++) {
            edges[slot] = startEdge(slot, ports, origin.port());
        }
        for (int slot = 0; slot < EDGES; slot++) {
            enableInHaproxy(socket, slot);
        }

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        client = LoadClient.start(
                LoadOptions.parse(
                        "--url",
                        "rtmp://127.0.0.1:" + frontPort + "/live/" + STREAM,
                        "--players",
                        String.valueOf(PLAYERS),
                        "--duration",
                        "10m",
                        "--ramp",
                        "50/s",
                        "--reconnect-delay",
                        "100ms",
                        "--threads",
                        "1"),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.snapshot().playersConnected() == PLAYERS);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.snapshot().firstKeyframes() >= PLAYERS);
        long failedBefore = client.snapshot().failedConnects();

        List<Integer> exitCodes = new ArrayList<>();
        for (int slot = 0; slot < EDGES; slot++) {
            int next = slot + EDGES;
            edges[next] = startEdge(next, ports, origin.port());
            enableInHaproxy(socket, next);
            edges[slot].signal("QUIT");
            exitCodes.add(edges[slot].awaitExit(Duration.ofSeconds(60)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.snapshot().playersConnected() == PLAYERS);
        LoadSnapshot result = client.stop();
        double[] gaps = client.playerMaxGapsMillis();
        Arrays.sort(gaps);
        long[] perSecond = client.reconnectsPerSecond();
        System.out.print(output.toString(StandardCharsets.UTF_8));
        long busySeconds = Arrays.stream(perSecond).filter(n -> n > 0).count();
        double mean = busySeconds == 0 ? 0 : (double) Arrays.stream(perSecond).sum() / busySeconds;
        long peak = Arrays.stream(perSecond).max().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "rolling update: %d players, exit codes %s, failed connects %d (before the update %d), "
                        + "reconnects %d, per-player max gap p50 %.0f ms, p99 %.0f ms, max %.0f ms, reconnects per second %s"
                        + " (peak %d, mean over seconds with reconnects %.1f, peak/mean %.2f)%n",
                PLAYERS,
                exitCodes,
                result.failedConnects(),
                failedBefore,
                result.reconnects(),
                gaps[gaps.length / 2],
                gaps[Math.min(gaps.length - 1, (int) Math.ceil(gaps.length * 0.99) - 1)],
                gaps[gaps.length - 1],
                Arrays.toString(perSecond),
                peak,
                mean,
                mean == 0 ? 0 : peak / mean);

        assertEquals(List.of(0, 0, 0), exitCodes, "exit codes of the replaced edges");
        assertEquals(0, result.failedConnects(), result::toJson);
        assertEquals(PLAYERS, result.playersConnected(), result::toJson);
        assertTrue(result.reconnects() >= PLAYERS, "every player moved at least once: " + result.toJson());
        // Goal: no player without media for more than 1 s; the slowest gets some slack on a loaded CI machine.
        assertTrue(gaps[gaps.length / 2] <= 1000, "median per-player gap " + gaps[gaps.length / 2] + " ms");
        assertTrue(gaps[gaps.length - 1] <= 2000, "largest per-player gap " + gaps[gaps.length - 1] + " ms");
        assertTrue(haproxy.isAlive(), haproxy::describe);
    }

    private ManagedProcess startEdge(int slot, int[] ports, int originPort) throws IOException {
        int rtmp = ports[2 * slot];
        int http = ports[2 * slot + 1];
        Path conf = LOGS.resolve("edge-" + slot + ".conf");
        Files.writeString(
                conf,
                "listen = [\"127.0.0.1:" + rtmp + "\"]\n"
                        + "http_api.listen = \"127.0.0.1:" + http + "\"\n"
                        + "cluster { mode = remote, origin = [\"127.0.0.1:" + originPort + "\"] }\n"
                        // haproxy needs fall 2 x inter 500ms to stop sending new connections after /readyz turns 503.
                        + "grace_start_wait = 2s\ngrace_final_wait = 300ms\ndrain_timeout = 1s\ndrain_spread = 2s\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        ManagedProcess edge = track(
                ManagedProcess.builder("edge-" + slot, List.of(java, "-jar", JAR.toString(), "-c", conf.toString()))
                        .logDir(LOGS)
                        .tailLines(2_000)
                        .start());
        edge.awaitOutput(Pattern.compile("RTMP listening on"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> readyz(http) == 200);
        return edge;
    }

    private static int readyz(int port) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                    .timeout(Duration.ofSeconds(1))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Every slot is a server in maintenance until {@link #enableInHaproxy}: haproxy sends nothing to an empty slot. */
    private static ManagedProcess startHaproxy(int[] ports, int frontPort, Path socket) throws IOException {
        StringBuilder cfg = new StringBuilder()
                .append("global\n  stats socket ")
                .append(socket)
                .append(" level admin\n")
                .append("defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n")
                .append("frontend rtmp\n  bind 127.0.0.1:")
                .append(frontPort)
                .append("\n  default_backend edges\n")
                .append("backend edges\n  balance leastconn\n  option httpchk GET /readyz\n")
                .append("  default-server inter 500ms fall 2 rise 2\n");
        for (int slot = 0; slot < ports.length / 2; slot++) {
            cfg.append("  server e")
                    .append(slot)
                    .append(" 127.0.0.1:")
                    .append(ports[2 * slot])
                    .append(" check port ")
                    .append(ports[2 * slot + 1])
                    .append(" disabled\n");
        }
        Path file = LOGS.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        ManagedProcess haproxy = ManagedProcess.builder(
                        "haproxy",
                        List.of(Binaries.require("haproxy", "haproxy").toString(), "-db", "-f", file.toString()))
                .logDir(LOGS)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
        return haproxy;
    }

    /** Takes the slot out of maintenance and waits until haproxy's checks say it is UP. */
    private static void enableInHaproxy(Path socket, int slot) {
        haproxyCommand(socket, "enable server edges/e" + slot);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Arrays.stream(haproxyCommand(socket, "show stat").split("\n"))
                        .anyMatch(line -> line.startsWith("edges,e" + slot + ",") && line.contains(",UP,")));
    }

    private static String haproxyCommand(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy " + command, e);
        }
    }
}
