package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;

/**
 * The access log: one close line per session (docs/architecture.md, "Access log"), whose fields
 * (client, app, stream, role, bytes, duration, close reason) are key-value pairs that agree with
 * its text, for a real ffmpeg publisher and player.
 */
class AccessLogRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ATTACHED = Pattern.compile("stream live/a1 source attached: publisher");
    private static final Pattern TRAFFIC =
            Pattern.compile("close /?127\\.0\\.0\\.1:(\\d+): .*; (\\d+) bytes in, (\\d+) bytes out, (\\d+) ms");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void publisherAndPlayerEachGetOneAccessLineWithTheirFields() {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        try (LogCapture logs = new LogCapture();
                EdgeUnderTest edge = EdgeUnderTest.start(dir.resolve("edge"), "")) {
            try (ManagedProcess publisher = ffmpeg.publish(edge.rtmpUrl("a1"), TestMedia.small(), true)) {
                logs.await(ATTACHED, WAIT);
                Ffmpeg.PlayResult played = ffmpeg.play(edge.rtmpUrl("a1?token=secret-value"), Duration.ofSeconds(2));
                assertTrue(played.frames() > 0, () -> played + "\n" + publisher.describe());
                logs.await(Pattern.compile("close .*: player of live/a1"), WAIT);
            }
            logs.await(Pattern.compile("close .*: publisher of live/a1"), WAIT);

            Map<String, Object> player = fields(logs, "player of live/a1");
            Map<String, Object> publisher = fields(logs, "publisher of live/a1");

            assertEquals(
                    List.of("127.0.0.1", "rtmp", "live", "a1", "player", true),
                    List.of(
                            player.get("client"),
                            player.get("protocol"),
                            player.get("app"),
                            player.get("stream"),
                            player.get("role"),
                            // ffmpeg is stopped after 2 s: its socket closes, or resets.
                            Set.of("peer_closed", "io_error").contains(player.get("close_reason"))),
                    player::toString);
            assertEquals(
                    List.of("127.0.0.1", "rtmp", "live", "a1", "publisher"),
                    List.of(
                            publisher.get("client"),
                            publisher.get("protocol"),
                            publisher.get("app"),
                            publisher.get("stream"),
                            publisher.get("role")),
                    publisher::toString);
            assertTrue(((Long) player.get("bytes_out")) > 10_000, player::toString);
            assertTrue(((Long) publisher.get("bytes_in")) > 10_000, publisher::toString);
            assertTrue(((Long) player.get("duration_ms")) >= 1_500, player::toString);
            assertTrue(!player.toString().contains("secret-value"), player::toString);
        }
    }

    /**
     * The key-value pairs of the one close line that says {@code doing}, checked against the text
     * of the same line: client port, bytes in, bytes out and duration agree.
     */
    private static Map<String, Object> fields(LogCapture logs, String doing) {
        List<ILoggingEvent> lines = logs.events(Pattern.compile("^close .*: " + Pattern.quote(doing) + ","));
        assertEquals(1, lines.size(), () -> "one close line for " + doing + "\n" + logs.dump());
        ILoggingEvent line = lines.get(0);
        Map<String, Object> kv = new LinkedHashMap<>();
        for (KeyValuePair pair : line.getKeyValuePairs()) {
            kv.put(pair.key, pair.value instanceof Integer i ? Long.valueOf(i) : pair.value);
        }
        Matcher text = TRAFFIC.matcher(line.getFormattedMessage());
        assertTrue(text.find(), line.getFormattedMessage());
        assertEquals(
                List.of(
                        Long.parseLong(text.group(1)),
                        Long.parseLong(text.group(2)),
                        Long.parseLong(text.group(3)),
                        true),
                List.of(
                        kv.get("client_port"),
                        kv.get("bytes_in"),
                        kv.get("bytes_out"),
                        Math.abs((Long) kv.get("duration_ms") - Long.parseLong(text.group(4))) <= 5),
                () -> line.getFormattedMessage() + " " + kv);
        return kv;
    }
}
