package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.security.StreamToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command line of the real jar, as an operator runs it before a rollout: {@code --version},
 * {@code -t -c FILE} (exit 0 or 1, every problem listed, no port opened), {@code -T} (with the
 * effective configuration, environment overrides included) and {@code token ...}.
 */
class CommandLineProcessIT {

    private static final Path EXAMPLES = Path.of("..", "config", "examples");

    @Test
    void versionPrintsTheVersionOfTheBuild() {
        JarRun run = JarRun.of("--version");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.stdout().size(), run::toString);
        assertTrue(
                run.stdout()
                        .get(0)
                        .startsWith("rtmp-edge " + System.getProperty("rtmpedge.version") + " (java "
                                + System.getProperty("java.version") + ", Linux "),
                run::toString);
    }

    @Test
    void checkOfAGoodFileExitsZeroWithoutOpeningItsPorts() throws IOException {
        // The test holds both ports: a server that tried to bind them would fail.
        try (ServerSocket rtmp = bound();
                ServerSocket http = bound()) {
            Path file = EdgeProcess.writeConfig(
                    "check-good",
                    "listen = [\"127.0.0.1:" + rtmp.getLocalPort() + "\"]\nhttp_api.listen = \"127.0.0.1:"
                            + http.getLocalPort() + "\"\nmax_connections = 50\n");

            JarRun run = JarRun.of("-t", "-c", file.toString());

            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(
                    List.of("rtmp-edge: configuration file " + file + " (hocon) test is successful"),
                    run.stdout(),
                    run::toString);
            assertTrue(run.stderr().isBlank(), run::toString);
        }
    }

    @Test
    void checkOfABadFileListsEveryProblemAndExitsOne() {
        Path file = EdgeProcess.writeConfig(
                "check-bad",
                "max_connections = 0\ncluster.mode = remot\ngrace_start_wait = soon\nlisten = [\"x:y\"]\n");

        JarRun run = JarRun.of("-t", "-c", file.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().isEmpty(), run::toString);
        List<String> lines = run.stderr().lines().toList();
        assertEquals("rtmp-edge: configuration file " + file + " (hocon): 4 problems", lines.get(0), run::toString);
        for (String key : List.of("max_connections = 0", "cluster.mode = \"remot\"", "grace_start_wait = \"soon\"")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("rtmp-edge: " + key + ": expected ")), run::toString);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("rtmp-edge: listen[0] = ")), run::toString);
        assertEquals("rtmp-edge: configuration file " + file + " (hocon) test failed", lines.get(lines.size() - 1));
    }

    @Test
    void checkOfAMissingFileExitsOne() {
        JarRun run =
                JarRun.of("-t", "-c", EdgeProcess.LOGS.resolve("no-such.conf").toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("config file = "), run::toString);
    }

    @Test
    void checkOfAnSrsFileListsTheIgnoredDirectivesAsWarnings() {
        Path file = EdgeProcess.writeConfig("check-srs", "listen 1935;\nmax_connections 100;\npid ./objs/srs.pid;\n");

        JarRun run = JarRun.of("-t", "-c", file.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(
                List.of(
                        "rtmp-edge: warning: unsupported SRS directive `pid` at line 3: ignored",
                        "rtmp-edge: configuration file " + file + " (srs) test is successful"),
                run.stdout(),
                run::toString);
    }

    @Test
    void everyExampleFilePassesTheCheck() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples =
                    files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
        assertFalse(examples.isEmpty(), "no examples in " + EXAMPLES.toAbsolutePath());
        for (Path example : examples) {
            JarRun run = JarRun.of("-t", "-c", example.toString());
            assertEquals(0, run.exitCode(), () -> example + "\n" + run);
        }
    }

    @Test
    void dumpShowsTheEffectiveConfigurationWithEnvironmentOverrides() {
        Path file = EdgeProcess.writeConfig("check-dump", "max_connections = 5\ncluster.mode = local\n");

        JarRun run = JarRun.of(
                Map.of("CONFIG_FORCE_max___connections", "7", "CONFIG_FORCE_cluster_retry_max___backoff", "30s"),
                List.of(),
                "-T",
                "-c",
                file.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(
                run.stdoutText().contains("max_connections = 7,")
                        && run.stdoutText().contains("max_backoff = 30s,"),
                run::toString);
    }

    @Test
    void badEnvironmentOverridesAreProblemsToo() {
        JarRun run = JarRun.of(
                Map.of("CONFIG_FORCE_max___connections", "0", "CONFIG_FORCE_cluster_mode", "remot"), List.of(), "-t");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(
                List.of(
                        "rtmp-edge: configuration (no file: defaults, system properties and environment): 2 problems",
                        "rtmp-edge: max_connections = \"0\": expected an integer 1..1000000",
                        "rtmp-edge: cluster.mode = \"remot\": expected one of local, remote",
                        "rtmp-edge: configuration (no file: defaults, system properties and environment) test failed"),
                run.stderr().lines().toList(),
                run::toString);
    }

    @Test
    void tokenMintsAQueryThatVerifies() {
        long before = Instant.now().getEpochSecond();
        JarRun run = JarRun.of(
                Map.of("EDGE_SECRET", "k-secret"),
                List.of(),
                "token",
                "--secret-env",
                "EDGE_SECRET",
                "--app",
                "live",
                "--stream",
                "cam1",
                "--ttl",
                "1h");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.stdout().size(), run::toString);
        String query = run.stdout().get(0);
        assertTrue(query.matches("\\?expires=\\d+&token=[A-Za-z0-9_-]+"), query);
        long expires = Long.parseLong(query.replaceAll(".*expires=(\\d+).*", "$1"));
        assertTrue(expires >= before + 3600 && expires <= Instant.now().getEpochSecond() + 3600, query);
        assertNull(StreamToken.verify(List.of("k-secret"), "live", "cam1", query.substring(1), before, Duration.ZERO));
    }

    @Test
    void tokenWithoutASecretIsAUsageError() {
        JarRun run = JarRun.of("token", "--app", "live", "--stream", "cam1");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("usage: java -jar edge-server.jar token"), run::toString);
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        JarRun run = JarRun.of("--frobnicate");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(
                run.stderr().startsWith("unknown argument: --frobnicate\nusage: java -jar edge-server.jar"),
                run::toString);
    }

    private static ServerSocket bound() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }
}
