package io.github.rtmpedge.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/streams}, {@code /api/v1/clients} and the byte totals of a server nobody uses. */
class OperatorDocumentsTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private EdgeServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, "listen = [\"127.0.0.1:0\"]\nhttp_api { enabled = on, listen = \"127.0.0.1:0\" }\n");
        EdgeConfig config = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
        server = new EdgeServer(config).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.httpAddress().getPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsIsAnEmptyJsonArray() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/streams");
        assertEquals(
                List.of(200, "application/json", "[]"),
                List.of(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body()));
    }

    @Test
    void clientsIsAnEmptyJsonArray() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/clients");
        assertEquals(
                List.of(200, "application/json", "[]"),
                List.of(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body()));
    }

    @Test
    void postingToTheDocumentsIsRefused() throws Exception {
        assertEquals(
                List.of(405, 405),
                List.of(
                        send("POST", "/api/v1/streams").statusCode(),
                        send("POST", "/api/v1/clients").statusCode()));
    }

    @Test
    void summariesStartWithZeroBytes() throws Exception {
        Map<String, Object> summaries =
                TestJson.object(send("GET", "/api/v1/summaries").body());
        assertEquals(Map.of("in", 0L, "out", 0L), summaries.get("bytes"));
    }

    @Test
    void manyRequestsOnOneConnectionAreEachAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(
                    "[]",
                    send("GET", i % 2 == 0 ? "/api/v1/streams" : "/api/v1/clients")
                            .body(),
                    "request " + i);
        }
    }
}
