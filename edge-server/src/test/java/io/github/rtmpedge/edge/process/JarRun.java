package io.github.rtmpedge.edge.process;

import io.github.rtmpedge.testkit.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One short run of {@code java -jar target/edge-server.jar ARGS} to its end, with standard output
 * and standard error kept apart: what an operator's shell sees.
 *
 * @param exitCode the process's exit status
 * @param stdout its standard output, line by line
 * @param stderr its standard error
 */
record JarRun(int exitCode, List<String> stdout, String stderr) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Runs the jar with {@code env} added to this JVM's environment and {@code jvmOptions} before -jar. */
    static JarRun of(Map<String, String> env, List<String> jvmOptions, String... args) {
        EdgeProcess.requireJar();
        List<String> command = new ArrayList<>();
        command.add(EdgeProcess.java().toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(EdgeProcess.JAR.toString());
        command.addAll(List.of(args));
        String name = "jar-run-" + SEQUENCE.incrementAndGet();
        Path stderr = EdgeProcess.LOGS.resolve(name + ".stderr");
        try {
            Files.createDirectories(EdgeProcess.LOGS);
            ManagedProcess.Builder builder = ManagedProcess.builder(name, command)
                    .logDir(EdgeProcess.LOGS)
                    .tailLines(5_000)
                    .stderrTo(stderr);
            env.forEach(builder::env);
            try (ManagedProcess process = builder.start()) {
                int code = process.awaitExit(TIMEOUT);
                return new JarRun(code, process.outputLines(), Files.readString(stderr, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JarRun of(String... args) {
        return of(Map.of(), List.of(), args);
    }

    String stdoutText() {
        return String.join("\n", stdout);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdoutText() + "\n--- stderr\n" + stderr;
    }
}
