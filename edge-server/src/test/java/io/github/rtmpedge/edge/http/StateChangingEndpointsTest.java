package io.github.rtmpedge.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/drain and /api/v1/reload: loopback or bearer token only; the read-only endpoints stay open. */
class StateChangingEndpointsTest {

    private static final String BASE = "listen = [\"127.0.0.1:0\"]\n"
            + "http_api { enabled = on, listen = \"127.0.0.1:0\", drain_token = \"T0ken-for-ops\" }\n";

    private final HttpClient client = HttpClient.newHttpClient();
    private EdgeServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static InetSocketAddress remote(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    }

    @Test
    void loopbackMayAlwaysChangeState() throws Exception {
        assertTrue(HttpApiServer.mayChangeState(remote("127.0.0.1"), null, ""));
        assertTrue(HttpApiServer.mayChangeState(remote("::1"), "Bearer wrong", "T0ken"));
    }

    @Test
    void otherClientsNeedTheRightBearerToken() throws Exception {
        InetSocketAddress outside = remote("192.0.2.10");
        assertTrue(HttpApiServer.mayChangeState(outside, "Bearer T0ken", "T0ken"));
        assertFalse(HttpApiServer.mayChangeState(outside, null, "T0ken"), "no header");
        assertFalse(HttpApiServer.mayChangeState(outside, "Bearer T0ke", "T0ken"), "wrong token");
        assertFalse(HttpApiServer.mayChangeState(outside, "Basic T0ken", "T0ken"), "not a bearer token");
        assertFalse(HttpApiServer.mayChangeState(outside, "Bearer ", ""), "no token configured: loopback only");
        assertFalse(HttpApiServer.mayChangeState(null, "Bearer T0ken", ""), "unknown address");
    }

    @Test
    void reloadByHttpAppliesTheFileAndRejectsABrokenOne() throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, BASE + "max_connections = 50\n");
        EdgeConfig config = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
        server = new EdgeServer(config, Optional.of(file), () -> {}).start();

        assertEquals(405, send("GET", "/api/v1/reload").statusCode(), "GET changes nothing");
        Files.writeString(file, BASE + "max_connections = 7\nsecurity.play.deny = [\"10.0.0.0/8\"]\n");
        HttpResponse<String> reloaded = send("POST", "/api/v1/reload");
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertEquals(7, server.rtmp().tracker().maxConnections());
        assertEquals(1, server.config().security().defaults().play().deny().size(), "security rules reload too");

        Files.writeString(file, BASE + "security.play.deny = [\"10.0.0.0/99\"]\n");
        HttpResponse<String> rejected = send("POST", "/api/v1/reload");
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertEquals(7, server.rtmp().tracker().maxConnections(), "the running configuration stays");

        for (String open : new String[] {"/healthz", "/readyz", "/metrics", "/api/v1/summaries", "/api/v1/streams"}) {
            assertEquals(200, send("GET", open).statusCode(), open + " stays open");
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path);
        return client.send(
                HttpRequest.newBuilder(uri)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
