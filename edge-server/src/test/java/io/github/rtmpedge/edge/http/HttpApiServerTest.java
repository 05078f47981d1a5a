package io.github.rtmpedge.edge.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port of a real (in-process) server: health, readiness through a drain, summaries. */
class HttpApiServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private EdgeServer server;
    private final AtomicInteger exits = new AtomicInteger();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EdgeServer start(String extra) throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(
                file, "listen = [\"127.0.0.1:0\"]\nhttp_api { enabled = on, listen = \"127.0.0.1:0\" }\n" + extra);
        EdgeConfig config = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
        server = new EdgeServer(config, Optional.of(file), exits::incrementAndGet).start();
        return server;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path);
    }

    @Test
    void healthAndReadinessAnswerWhileRunning() throws Exception {
        start("");
        HttpResponse<String> health = get("/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        assertEquals(200, get("/readyz").statusCode());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void summariesAreJson() throws Exception {
        start("");
        HttpResponse<String> r = get("/api/v1/summaries");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().contains("\"phase\":\"running\""), r.body());
        assertTrue(r.body().contains("\"connections\":{\"active\":0,\"max\":1000"), r.body());
        assertTrue(r.body().contains("\"mode\":\"local\""), r.body());
    }

    @Test
    void drainByHttpFailsReadinessAtOnceAndStopsTheServer() throws Exception {
        start("grace_start_wait = 300ms\ngrace_final_wait = 100ms\n");
        assertEquals(405, get("/api/v1/drain").statusCode(), "GET is not a drain");
        HttpResponse<String> drain = client.send(
                HttpRequest.newBuilder(uri("/api/v1/drain"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, drain.statusCode());
        HttpResponse<String> ready = get("/readyz");
        assertEquals(503, ready.statusCode(), "readiness fails at once");
        assertTrue(ready.body().startsWith("draining"), ready.body());
        assertEquals(200, get("/healthz").statusCode(), "still alive while draining");
        await().atMost(10, TimeUnit.SECONDS).until(() -> exits.get() == 1);
    }

    @Test
    void readinessAnswersThroughTheStartWait() throws Exception {
        start("grace_start_wait = 2s\ngrace_final_wait = 0ms\n");
        server.requestGracefulQuit("test");
        HttpResponse<String> summaries = get("/api/v1/summaries");
        assertTrue(summaries.body().contains("\"phase\":\"drain_requested\""), summaries.body());
        assertTrue(summaries.body().contains("\"ready\":false"), summaries.body());
        await().atMost(10, TimeUnit.SECONDS).until(() -> exits.get() == 1);
    }
}
