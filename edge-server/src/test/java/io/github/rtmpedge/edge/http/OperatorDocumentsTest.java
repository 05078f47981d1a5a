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
    void streamsIsAnEmptyListInSrsEnvelope() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/streams");
        Map<String, Object> body = TestJson.object(r.body());
        assertEquals(
                List.of(200, "application/json", 0L, List.of(), true),
                List.of(
                        r.statusCode(),
                        r.headers().firstValue("content-type").orElse(""),
                        body.get("code"),
                        body.get("streams"),
                        String.valueOf(body.get("server")).startsWith("vid-")));
    }

    @Test
    void clientsIsAnEmptyListInSrsEnvelope() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/clients");
        Map<String, Object> body = TestJson.object(r.body());
        assertEquals(
                List.of(200, "application/json", 0L, List.of()),
                List.of(
                        r.statusCode(),
                        r.headers().firstValue("content-type").orElse(""),
                        body.get("code"),
                        body.get("clients")));
    }

    @Test
    void unknownIdsAnswerSrsErrorCodes() throws Exception {
        assertEquals(
                List.of("{\"code\":2048}", "{\"code\":2049}", "{\"code\":2049}"),
                List.of(
                        send("GET", "/api/v1/streams/vid-nope").body(),
                        send("GET", "/api/v1/clients/nope").body(),
                        send("DELETE", "/api/v1/clients/nope").body()));
    }

    @Test
    void versionsFollowSrs() throws Exception {
        Map<String, Object> body =
                TestJson.object(send("GET", "/api/v1/versions").body());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        assertEquals(List.of("major", "minor", "revision", "version"), List.copyOf(data.keySet()));
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
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) summaries.get("data");
        assertEquals(Map.of("in", 0L, "out", 0L), data.get("bytes"));
        assertEquals(true, data.get("ok"));
    }

    @Test
    void manyRequestsOnOneConnectionAreEachAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            String kind = i % 2 == 0 ? "streams" : "clients";
            assertEquals(
                    List.of(),
                    TestJson.object(send("GET", "/api/v1/" + kind).body()).get(kind),
                    "request " + i);
        }
    }
}
