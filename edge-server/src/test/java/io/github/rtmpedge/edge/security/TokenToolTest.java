package io.github.rtmpedge.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenToolTest {

    private static final long NOW = 1_800_000_000L;

    private static String[] run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenTool.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env,
                NOW);
        return new String[] {
            String.valueOf(status), out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void printsAQueryTheServerAccepts() {
        String[] result = run(Map.of(), "--secret", "k1", "--app", "live", "--stream", "cam1", "--ttl", "2h");
        assertEquals("0", result[0], result[2]);
        assertEquals(
                "?expires=" + (NOW + 7200) + "&token=" + StreamToken.sign("k1", "live", "cam1", NOW + 7200), result[1]);
        assertNull(
                StreamToken.verify(List.of("k1"), "live", "cam1", result[1].substring(1), NOW + 7000, Duration.ZERO));
    }

    @Test
    void secretFromTheEnvironment() {
        String[] result =
                run(Map.of("EDGE_SECRET", "k2"), "--secret-env", "EDGE_SECRET", "--app", "live", "--stream", "s");
        assertEquals("0", result[0], result[2]);
        assertNull(StreamToken.verify(List.of("k2"), "live", "s", result[1].substring(1), NOW, Duration.ZERO));
        assertEquals("2", run(Map.of(), "--secret-env", "NOPE", "--app", "live", "--stream", "s")[0]);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals("2", run(Map.of(), "--app", "live", "--stream", "s")[0], "no secret");
        assertEquals("2", run(Map.of(), "--secret", "k", "--app", "live", "--stream", "s", "--ttl", "soon")[0]);
        assertEquals("2", run(Map.of(), "--bogus", "x")[0]);
        assertTrue(run(Map.of(), "--help")[1].contains("usage"));
    }

    @Test
    void ttlUnits() {
        assertEquals(Duration.ofSeconds(90), TokenTool.ttl("90s"));
        assertEquals(Duration.ofMinutes(30), TokenTool.ttl("30m"));
        assertEquals(Duration.ofDays(7), TokenTool.ttl("7d"));
        assertEquals(Duration.ofSeconds(45), TokenTool.ttl("45"));
        assertEquals(Duration.ofHours(1), TokenTool.ttl("PT1H"));
        assertThrows(IllegalArgumentException.class, () -> TokenTool.ttl("0s"));
        assertThrows(IllegalArgumentException.class, () -> TokenTool.ttl("-5m"));
    }
}
