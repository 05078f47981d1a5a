package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.http.TestJson;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code log_format = json} on the real process: every line of its standard output is one JSON
 * object, from the first (how signals arrive, the configuration) to the last, the access log
 * lines' fields are top-level keys, and a refused configuration is reported as JSON too.
 */
class JsonLogsProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JSON = "log_format = json\ngrace_start_wait = 0ms\ngrace_final_wait = 0ms\n";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    @Test
    void everyLineFromTheFirstIsJsonAndAccessLinesHaveTopLevelFields() {
        Path stderr = EdgeProcess.LOGS.resolve("json-process.stderr");
        EdgeProcess edge = track(EdgeProcess.startWithFile(
                "json-process",
                EdgeProcess.writeConfig("json-process", EdgeProcess.LOOPBACK_PORTS + JSON),
                List.of(),
                stderr));
        Ffmpeg ffmpeg = new Ffmpeg(EdgeProcess.LOGS);
        try (var publisher = ffmpeg.publish(edge.rtmpUrl("j1"), TestMedia.small(), true)) {
            edge.awaitLog(Pattern.compile("stream live/j1 source attached"), WAIT);
            Ffmpeg.PlayResult played = ffmpeg.play(edge.rtmpUrl("j1"), Duration.ofSeconds(1));
            assertTrue(played.frames() > 0, () -> played + "\n" + publisher.describe());
            edge.awaitLog(Pattern.compile("close .*: player of live/j1"), WAIT);
        }
        edge.signal("QUIT");
        assertEquals(0, edge.awaitExit(WAIT), edge::describe);

        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : edge.log()) {
            lines.add(TestJson.object(line)); // fails on any line that is not exactly one JSON object
        }
        assertTrue(lines.size() > 5, edge::describe);
        // First which JVM memory defaults are in force, then how signals arrive, then the configuration.
        assertTrue(String.valueOf(lines.get(0).get("message")).startsWith("JVM memory defaults: "), edge::describe);
        assertTrue(String.valueOf(lines.get(1).get("message")).startsWith("signals: "), edge::describe);
        assertTrue(String.valueOf(lines.get(2).get("message")).startsWith("configuration: "), edge::describe);
        Map<String, Object> access = lines.stream()
                .filter(l -> String.valueOf(l.get("message")).contains(": player of live/j1"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no access line\n" + edge.describe()));
        assertEquals(
                List.of("127.0.0.1", "rtmp", "live", "j1", "player", true, true),
                List.of(
                        access.get("client"),
                        access.get("protocol"),
                        access.get("app"),
                        access.get("stream"),
                        access.get("role"),
                        access.get("bytes_out") instanceof Long bytes && bytes > 1_000,
                        access.get("duration_ms") instanceof Long),
                access::toString);
        assertFalse(access.containsKey("kv"), access::toString);
    }

    @Test
    void aRefusedConfigurationIsOneJsonLine() {
        Path file = EdgeProcess.writeConfig("json-refused", "log_format = json\nmax_connections = 0\n");

        JarRun run = JarRun.of("-c", file.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.stdout().size(), run::toString);
        Map<String, Object> line = TestJson.object(run.stdout().get(0));
        assertEquals(List.of("ERROR", 1L), List.of(line.get("level"), line.get("problems")), line::toString);
        assertTrue(String.valueOf(line.get("message")).contains("max_connections = 0: expected"), line::toString);
    }

    @Test
    void theSignalFallbackErrorIsJsonToo() {
        EdgeProcess edge = track(EdgeProcess.startWithFile(
                "json-fallback",
                EdgeProcess.writeConfig("json-fallback", EdgeProcess.LOOPBACK_PORTS + JSON),
                List.of("-Drtmpedge.signals.native=false"),
                EdgeProcess.LOGS.resolve("json-fallback.stderr")));
        edge.signal("TERM");
        assertEquals(0, edge.awaitExit(WAIT), edge::describe);

        List<Map<String, Object>> lines =
                edge.log().stream().map(TestJson::object).toList();
        Map<String, Object> error = lines.get(2); // after the JVM defaults line and the signals line
        assertEquals("ERROR", error.get("level"), error::toString);
        assertTrue(String.valueOf(error.get("message")).startsWith("SIGQUIT cannot be handled"), error::toString);
        assertTrue(
                lines.stream()
                        .anyMatch(l -> "graceful quit requested by SIGTERM (SIGQUIT cannot be handled)"
                                .equals(l.get("message"))),
                edge::describe);
    }
}
