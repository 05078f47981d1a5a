package io.github.rtmpedge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load client's command line. */
class LoadOptionsTest {

    @Test
    void everyOptionIsRead() {
        LoadOptions o = LoadOptions.parse(
                "--url",
                "rtmp://edge.example:1936/live/cam1",
                "--players",
                "2000",
                "--publishers",
                "1",
                "--flv",
                "/tmp/a.flv",
                "--duration",
                "90s",
                "--reconnect-delay",
                "250ms",
                "--ramp",
                "300/s",
                "--threads",
                "2",
                "--epoll",
                "--quiet");
        assertEquals(
                new LoadOptions(
                        "edge.example",
                        1936,
                        "live",
                        "cam1",
                        2000,
                        1,
                        Path.of("/tmp/a.flv"),
                        Duration.ofSeconds(90),
                        Duration.ofMillis(250),
                        300,
                        2,
                        true,
                        true),
                o);
    }

    @Test
    void defaultsMatchTheUsage() {
        LoadOptions o = LoadOptions.parse("--url", "rtmp://127.0.0.1/live/s");
        assertEquals(1935, o.port());
        assertEquals(Duration.ofSeconds(60), o.duration());
        assertEquals(Duration.ZERO, o.reconnectDelay());
        assertEquals(100, o.rampPerSecond());
        assertEquals(1, o.threads());
        assertFalse(o.epoll());
    }

    @Test
    void theStreamNameKeepsEverythingAfterTheApp() {
        assertEquals("a/b", LoadOptions.parse("--url", "rtmp://h/live/a/b").stream());
    }

    @Test
    void tcUrlNamesHostPortAndApp() {
        assertEquals(
                "rtmp://h:1935/live",
                LoadOptions.parse("--url", "rtmp://h/live/s").tcUrl());
    }

    @Test
    void durationsTakeUnits() {
        assertEquals(Duration.ofMillis(1500), LoadOptions.duration("1.5s"));
        assertEquals(Duration.ofMinutes(2), LoadOptions.duration("2m"));
        assertEquals(Duration.ofMillis(7), LoadOptions.duration("7ms"));
        assertEquals(Duration.ofSeconds(3), LoadOptions.duration("3"));
    }

    @Test
    void aUrlWithoutStreamIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--url", "rtmp://h/live"));
        assertTrue(e.getMessage().contains("/app/stream"), e.getMessage());
    }

    @Test
    void publishersNeedAFile() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LoadOptions.parse("--url", "rtmp://h/live/s", "--publishers", "1"));
        assertTrue(e.getMessage().contains("--flv"), e.getMessage());
    }

    @Test
    void publishModeNamesStreamsFromThePrefix() {
        LoadOptions o = LoadOptions.parse(
                "--url", "rtmp://h:1936/live", "--stream-prefix", "s", "--publish", "300", "--flv", "/tmp/a.flv");
        assertEquals("live", o.app());
        assertEquals(300, o.publishers());
        assertEquals(300, o.streams());
        assertEquals("s0", o.streamName(0, true));
        assertEquals("s299", o.streamName(299, true));
    }

    @Test
    void playersSpreadOverTheStreams() {
        LoadOptions o = LoadOptions.parse(
                "--url", "rtmp://h/live", "--stream-prefix", "s", "--streams", "300", "--players", "1500");
        assertEquals("s0", o.streamName(0, false));
        assertEquals("s299", o.streamName(299, false));
        assertEquals("s0", o.streamName(300, false));
        assertEquals("s4", o.streamName(1204, false));
    }

    @Test
    void withoutAPrefixNamesStayAsTheyWere() {
        LoadOptions o = LoadOptions.parse("--url", "rtmp://h/live/t", "--publishers", "2", "--flv", "/tmp/a.flv");
        assertEquals("t", o.streamName(0, true));
        assertEquals("t_1", o.streamName(1, true));
        assertEquals("t", o.streamName(1, false));
    }

    @Test
    void publishModeIsCheckedForMistakes() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> LoadOptions.parse("--url", "rtmp://h/live", "--publish", "3", "--flv", "a.flv"))
                .getMessage()
                .contains("--stream-prefix"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> LoadOptions.parse(
                                "--url", "rtmp://h/live/x", "--stream-prefix", "s", "--publish", "3", "--flv", "a.flv"))
                .getMessage()
                .contains("rtmp://host[:port]/app"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> LoadOptions.parse(
                                "--url",
                                "rtmp://h/live",
                                "--stream-prefix",
                                "s",
                                "--publish",
                                "3",
                                "--streams",
                                "2",
                                "--flv",
                                "a.flv"))
                .getMessage()
                .contains("more publishers"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> LoadOptions.parse("--url", "rtmp://h/live", "--stream-prefix", "s", "--publish", "3"))
                .getMessage()
                .contains("--flv"));
    }

    @Test
    void unknownOptionsAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LoadOptions.parse("--url", "rtmp://h/live/s", "--player", "3"));
        assertEquals("unknown option --player", e.getMessage());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = {1_000_000, 2_000_000, 3_000_000, 4_000_000};
        assertEquals(2.0, LoadClient.percentileMillis(nanos, 0.50));
        assertEquals(4.0, LoadClient.percentileMillis(nanos, 0.99));
        assertEquals(-1.0, LoadClient.percentileMillis(new long[0], 0.50));
    }
}
