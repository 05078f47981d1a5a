package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real mechanism, which no in-JVM test can reach: a child JVM whose environment holds
 * {@code CONFIG_FORCE_} variables runs {@link EdgeConfigLoader#main} and prints the effective
 * configuration.
 */
class EnvironmentOverrideProcessTest {

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {}

    private Outcome run(List<String> arguments, String... environment) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(
                java.toString(), "-cp", System.getProperty("java.class.path"), EdgeConfigLoader.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CONFIG_FORCE_"));
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish within 60 s");
        }
        return new Outcome(
                process.exitValue(),
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void environmentVariableOverridesTheFile() throws Exception {
        Path file = ConfigFiles.write(dir, "max_connections = 5\ncluster.mode = local");
        Outcome outcome = run(
                List.of("-c", file.toString()),
                "CONFIG_FORCE_max___connections",
                "7",
                "CONFIG_FORCE_cluster_retry_max___backoff",
                "30s");
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(
                outcome.stdout().contains("max_connections = 7,")
                        && outcome.stdout().contains("max_backoff = 30s,"),
                outcome.stdout());
    }

    @Test
    void badValuesExitWithEveryProblem() throws Exception {
        Outcome outcome = run(List.of(), "CONFIG_FORCE_max___connections", "0", "CONFIG_FORCE_cluster_mode", "remot");
        assertEquals(
                List.of(
                        1,
                        "invalid configuration (2 problems):\n"
                                + "max_connections = \"0\": expected an integer 1..1000000\n"
                                + "cluster.mode = \"remot\": expected one of local, remote\n"),
                List.of(outcome.exitCode(), outcome.stderr()));
    }
}
