package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.github.rtmpedge.edge.http.TestJson;
import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * haproxy in front of the edge with {@code send-proxy} (v1) and {@code send-proxy-v2}, connecting
 * from 127.0.0.2 ({@code source 127.0.0.2}), the only trusted address, while every real client
 * (ffmpeg, an HTTP-FLV reader) is 127.0.0.1: the API, the access log, the hooks' ip and the CIDR
 * rules see 127.0.0.1, never the balancer. A frontend without {@code send-proxy} (a trusted peer without a
 * header) and a direct client sending a header are refused and counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PROXIED_OPEN =
            Pattern.compile("open /127\\.0\\.0\\.1:\\d+ via 127\\.0\\.0\\.2:\\d+ \\(");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private LogCapture logs;
    private EdgeUnderTest edge;
    private ManagedProcess haproxy;
    private Ffmpeg ffmpeg;
    /** haproxy's frontends by name: rtmp-v1, rtmp-v2, flv-v1, flv-v2, rtmp-none. */
    private final Map<String, Integer> fronts = new LinkedHashMap<>();

    private final List<ManagedProcess> processes = new ArrayList<>();
    /** The hook service: every body it was sent. */
    private HttpServer hooks;

    private final List<Map<String, Object>> hookBodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startEdgeAndHaproxy() throws IOException {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        hooks.createContext("/hook", exchange -> {
            hookBodies.add(
                    TestJson.object(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] zero = "0".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, zero.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zero);
            }
        });
        hooks.start();
        String hook = "\"http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook\"";
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), """
                http_api { enabled = on, listen = "127.0.0.1:0" }
                http_server { enabled = on, listen = "127.0.0.1:0" }
                proxy_protocol { enabled = on, trusted = ["127.0.0.2/32"] }
                security.apps {
                  noclient.play.deny = ["127.0.0.1"]
                  nobalancer.play.deny = ["127.0.0.2"]
                  hooked.http_hooks { on_connect = [HOOK], on_publish = [HOOK], on_play = [HOOK] }
                }
                """.replace("HOOK", hook));
        assertEquals(
                2,
                logs.count(Pattern.compile(
                        "(RTMP|HTTP-FLV) listening on .*; PROXY protocol from \\[127\\.0\\.0\\.2/32\\]$")),
                () -> String.join("\n", logs.lines()));
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        int rtmp = edge.port();
        int flv = edge.server().flvAddress().getPort();
        StringBuilder cfg = new StringBuilder(
                "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n");
        frontend(cfg, "rtmp-v1", rtmp, "send-proxy");
        frontend(cfg, "rtmp-v2", rtmp, "send-proxy-v2");
        frontend(cfg, "flv-v1", flv, "send-proxy");
        frontend(cfg, "flv-v2", flv, "send-proxy-v2");
        frontend(cfg, "rtmp-none", rtmp, "");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        haproxy = ManagedProcess.builder(
                        "haproxy",
                        List.of(Binaries.require("haproxy", "haproxy").toString(), "-db", "-f", file.toString()))
                .logDir(dir.resolve("logs"))
                .start();
        for (int port : fronts.values()) {
            Awaitility.await("haproxy listening on " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> accepts(port));
        }
    }

    /** A frontend on a free port whose one server is the edge, reached from 127.0.0.2. */
    private void frontend(StringBuilder cfg, String name, int edgePort, String proxyOption) {
        int port = FreePorts.pick();
        fronts.put(name, port);
        cfg.append("frontend ")
                .append(name)
                .append("\n  bind 127.0.0.1:")
                .append(port)
                .append("\n  default_backend ")
                .append(name)
                .append("-edge\nbackend ")
                .append(name)
                .append("-edge\n  server edge 127.0.0.1:")
                .append(edgePort)
                .append(' ')
                .append(proxyOption)
                .append(" source 127.0.0.2\n");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void stopClients() {
        processes.forEach(ManagedProcess::close);
        processes.clear();
    }

    @AfterAll
    void stopAll() {
        if (hooks != null) {
            hooks.stop(0);
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

    private String rtmpVia(String front, String app, String stream) {
        return "rtmp://127.0.0.1:" + fronts.get(front) + "/" + app + "/" + stream;
    }

    private ManagedProcess publish(String url) {
        ManagedProcess p = ffmpeg.publish(url, TestMedia.small(), true);
        processes.add(p);
        return p;
    }

    /** An RTMP player that copies the stream to a file, until closed. */
    private ManagedProcess copyPlayer(String url, String name) {
        ManagedProcess p = ManagedProcess.start(
                name,
                dir.resolve("logs"),
                Binaries.require("ffmpeg", "ffmpeg").toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "level+warning",
                "-i",
                url,
                "-c",
                "copy",
                "-f",
                "flv",
                "-y",
                dir.resolve(name + ".flv").toString());
        processes.add(p);
        return p;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> clients() throws Exception {
        Map<String, Object> envelope = TestJson.object(
                Scrapes.get(edge.server().httpAddress(), "/api/v1/clients").body());
        return (List<Map<String, Object>>) envelope.get("clients");
    }

    private List<Map<String, Object>> clientsOf(String app, String stream) throws Exception {
        return clients().stream()
                .filter(c -> app.equals(c.get("app")) && stream.equals(c.get("name")))
                .toList();
    }

    private double rejected(String protocol, String reason) throws Exception {
        return Scrapes.sample(
                        Scrapes.metrics(edge.server().httpAddress()),
                        "rtmp_proxy_protocol_rejected_total",
                        "protocol=\"" + protocol + "\",reason=\"" + reason + "\"")
                .orElseThrow(() -> new AssertionError("no rtmp_proxy_protocol_rejected_total for " + reason));
    }

    @ParameterizedTest(name = "send-proxy {0}")
    @ValueSource(strings = {"v1", "v2"})
    void theApiAndTheLogsSeeTheClientNotTheBalancer(String version) throws Exception {
        String stream = "api-" + version;
        long proxiedOpensBefore = logs.count(PROXIED_OPEN);
        publish(rtmpVia("rtmp-" + version, "open", stream));
        logs.await(Pattern.compile("stream open/" + stream + " source attached: publisher"), WAIT);
        copyPlayer(rtmpVia("rtmp-" + version, "open", stream), "player-" + version);
        try (FlvHttpReader flv = FlvHttpReader.get(fronts.get("flv-" + version), "/open/" + stream + ".flv")) {
            assertEquals(200, flv.status().get(10, TimeUnit.SECONDS));
            Awaitility.await("a publisher, an RTMP and an HTTP-FLV player of open/" + stream + " in /api/v1/clients")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> clientsOf("open", stream).size() == 3);
            List<Map<String, Object>> seen = clientsOf("open", stream);
            List<Object> ips = seen.stream().map(c -> c.get("ip")).toList();
            List<Object> remotes = seen.stream().map(c -> c.get("remote")).toList();
            System.out.println("MEASURE proxy-protocol send-proxy-" + version + ": /api/v1/clients of open/" + stream
                    + " ip=" + ips + " remote=" + remotes + " roles="
                    + seen.stream()
                            .map(c -> c.get("role") + "/" + c.get("type"))
                            .toList()
                    + "; the edge's TCP peer was 127.0.0.2 for "
                    + (logs.count(PROXIED_OPEN) - proxiedOpensBefore) + " RTMP connections");
            assertEquals(List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"), ips, seen.toString());
            for (Object remote : remotes) {
                assertTrue(((String) remote).startsWith("127.0.0.1:"), remote.toString());
            }
            // The edge's TCP peer was haproxy's 127.0.0.2 (which only a header could turn into 127.0.0.1).
            assertTrue(logs.count(PROXIED_OPEN) - proxiedOpensBefore >= 2, () -> String.join("\n", logs.lines()));
            flv.firstKeyframeNanos().get(10, TimeUnit.SECONDS); // media flows through the balancer
        }
        stopClients();
        Awaitility.await("close lines of the proxied clients")
                .atMost(WAIT)
                .until(() ->
                        logs.count(Pattern.compile("close /127\\.0\\.0\\.1:\\d+: (player|publisher) of open/" + stream))
                                >= 2);
        assertEquals(
                0,
                logs.count(Pattern.compile("close /127\\.0\\.0\\.2:.*open/" + stream)),
                "no close line names the balancer");
    }

    @ParameterizedTest(name = "send-proxy {0}")
    @ValueSource(strings = {"v1", "v2"})
    void aCidrRuleMatchesTheClientNotTheBalancer(String version) throws Exception {
        String stream = "cidr-" + version;
        publish("rtmp://127.0.0.1:" + edge.port() + "/noclient/" + stream);
        publish("rtmp://127.0.0.1:" + edge.port() + "/nobalancer/" + stream);
        logs.await(Pattern.compile("stream noclient/" + stream + " source attached: publisher"), WAIT);
        logs.await(Pattern.compile("stream nobalancer/" + stream + " source attached: publisher"), WAIT);

        Ffmpeg.PlayResult denied = ffmpeg.play(rtmpVia("rtmp-" + version, "noclient", stream), Duration.ofSeconds(2));
        Ffmpeg.PlayResult allowed =
                ffmpeg.play(rtmpVia("rtmp-" + version, "nobalancer", stream), Duration.ofSeconds(2));
        int deniedFlv;
        int allowedFlv;
        long allowedFlvTags;
        try (FlvHttpReader a = FlvHttpReader.get(fronts.get("flv-" + version), "/noclient/" + stream + ".flv");
                FlvHttpReader b = FlvHttpReader.get(fronts.get("flv-" + version), "/nobalancer/" + stream + ".flv")) {
            deniedFlv = a.status().get(10, TimeUnit.SECONDS);
            allowedFlv = b.status().get(10, TimeUnit.SECONDS);
            b.firstKeyframeNanos().get(10, TimeUnit.SECONDS);
            allowedFlvTags = b.videoTags();
        }
        long refusalLines = logs.count(Pattern.compile(
                "- 127\\.0\\.0\\.1:\\d+: play noclient/" + stream + "( over HTTP-FLV)? refused: cidr_denied"));
        System.out.println("MEASURE proxy-protocol send-proxy-" + version
                + ": deny 127.0.0.1 -> RTMP player exit " + denied.exitCode() + ", " + denied.frames()
                + " frames, HTTP-FLV " + deniedFlv + "; deny 127.0.0.2 (the balancer) -> RTMP player exit "
                + allowed.exitCode() + ", " + allowed.frames() + " frames, HTTP-FLV " + allowedFlv + " with "
                + allowedFlvTags + " video tags; refusal lines naming 127.0.0.1: " + refusalLines);
        assertEquals(0, denied.frames(), denied.toString());
        assertTrue(denied.exitCode() != 0, denied.toString());
        assertEquals(403, deniedFlv);
        assertEquals(2, refusalLines, () -> String.join("\n", logs.lines()));
        assertTrue(allowed.frames() > 0, allowed.toString());
        assertEquals(200, allowedFlv);
        assertTrue(allowedFlvTags > 0);
    }

    @ParameterizedTest(name = "send-proxy {0}")
    @ValueSource(strings = {"v1", "v2"})
    void theHooksAreToldTheClientsAddress(String version) throws Exception {
        String stream = "hooks-" + version;
        publish(rtmpVia("rtmp-" + version, "hooked", stream));
        logs.await(Pattern.compile("stream hooked/" + stream + " source attached: publisher"), WAIT);
        copyPlayer(rtmpVia("rtmp-" + version, "hooked", stream), "hooked-player-" + version);
        try (FlvHttpReader flv = FlvHttpReader.get(fronts.get("flv-" + version), "/hooked/" + stream + ".flv")) {
            assertEquals(200, flv.status().get(10, TimeUnit.SECONDS));
            Awaitility.await("on_publish, and on_play twice for hooked/" + stream)
                    .atMost(WAIT)
                    .until(() -> hooksOf(stream).size() >= 3);
        }
        List<String> seen = hooksOf(stream).stream()
                .map(b -> b.get("action") + "=" + b.get("ip"))
                .sorted()
                .toList();
        // on_connect names no stream: every one so far (publishers and RTMP players, all through haproxy).
        List<Object> connects = hookBodies.stream()
                .filter(b -> "on_connect".equals(b.get("action")))
                .map(b -> b.get("ip"))
                .distinct()
                .toList();
        System.out.println("MEASURE proxy-protocol send-proxy-" + version + ": hooks of hooked/" + stream + " " + seen
                + ", on_connect ips " + connects);
        assertEquals(List.of("on_play=127.0.0.1", "on_play=127.0.0.1", "on_publish=127.0.0.1"), seen);
        assertEquals(List.of("127.0.0.1"), connects);
    }

    private List<Map<String, Object>> hooksOf(String stream) {
        return hookBodies.stream().filter(b -> stream.equals(b.get("stream"))).toList();
    }

    @Test
    void aTrustedPeerWithoutAHeaderIsRefusedAndCounted() throws Exception {
        double before = rejected("rtmp", "missing");
        Ffmpeg.PlayResult refused = ffmpeg.play(rtmpVia("rtmp-none", "open", "nobody"), Duration.ofSeconds(2));
        Awaitility.await("counted").atMost(WAIT).until(() -> rejected("rtmp", "missing") >= before + 1);
        long lines = logs.count(Pattern.compile(
                "RTMP listener: refused 127\\.0\\.0\\.2:\\d+: a trusted load balancer's connection began with 03"));
        System.out.println("MEASURE proxy-protocol no header from the trusted balancer: ffmpeg exit "
                + refused.exitCode() + ", " + refused.frames() + " frames; missing " + before + " -> "
                + rejected("rtmp", "missing") + "; log lines " + lines);
        assertEquals(0, refused.frames());
        assertTrue(lines >= 1, () -> String.join("\n", logs.lines()));
    }

    @Test
    void aHeaderFromAnyoneElseIsRefusedAndCounted() throws Exception {
        double rtmpBefore = rejected("rtmp", "untrusted");
        double flvBefore = rejected("http_flv", "untrusted");
        String header = "PROXY TCP4 192.0.2.66 127.0.0.1 4444 1935\r\n";
        assertClosedAfter(edge.port(), header);
        assertClosedAfter(edge.server().flvAddress().getPort(), header + "GET /open/x.flv HTTP/1.0\r\n\r\n");
        Awaitility.await("counted")
                .atMost(WAIT)
                .until(() -> rejected("rtmp", "untrusted") == rtmpBefore + 1
                        && rejected("http_flv", "untrusted") == flvBefore + 1);
        assertEquals(
                2,
                logs.count(
                        Pattern.compile(
                                "listener: refused 127\\.0\\.0\\.1:\\d+: a PROXY header from an address not in proxy_protocol.trusted")));
        assertFalse(clients().stream().anyMatch(c -> "192.0.2.66".equals(c.get("ip"))));
    }

    /** Connects directly (from 127.0.0.1, untrusted), sends {@code text}, and expects the edge to close without a byte. */
    private static void assertClosedAfter(int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "closed without an answer");
            } catch (SocketException reset) {
                // closed while our bytes were unread: a reset is a close too
            }
        } catch (java.net.SocketTimeoutException e) {
            fail("the edge kept the connection open");
        }
    }
}
