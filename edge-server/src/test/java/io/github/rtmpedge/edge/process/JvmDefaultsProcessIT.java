package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.lifecycle.JvmRelaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plain {@code java -jar} replaces its JVM with one started with the server's memory defaults, in
 * the same process: the pid the starter holds runs the new command line, serves, and still quits
 * gracefully on SIGQUIT, with the pooled allocator the server chooses. Flags and properties of the
 * user's own are left alone.
 */
class JvmDefaultsProcessIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private static List<String> commandLine(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    }

    private static String gcFlag(List<String> commandLine) {
        return commandLine.stream().filter(a -> a.endsWith("GC")).findFirst().orElse("none");
    }

    @Test
    void aPlainJarRunsWithTheDefaultsInTheSameProcessAndStillQuitsGracefully() throws IOException {
        try (EdgeProcess edge =
                EdgeProcess.start("jvm-defaults", "grace_start_wait = 200ms\ngrace_final_wait = 100ms\n")) {
            List<String> running = commandLine(edge.pid());

            assertTrue(running.containsAll(JvmRelaunch.FLAGS), "pid " + edge.pid() + " runs " + running);
            assertTrue(
                    edge.logContains("JVM memory defaults: " + String.join(" ", JvmRelaunch.FLAGS)), edge.describe());
            assertTrue(edge.logContains("transport, pooled allocator)"), edge.describe()); // NettyDefaults took
            assertEquals(200, edge.readyz(), edge.describe());
            System.out.printf("MEASURE relaunched pid %d: %s%n", edge.pid(), String.join(" ", running));

            edge.signal("QUIT");

            assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());
            assertTrue(edge.logContains("stopped; graceful quit took"), edge.describe());
        }
    }

    @Test
    void aUsersHeapFlagIsKeptAndNothingIsReplaced() throws IOException {
        try (EdgeProcess edge = EdgeProcess.startWithOptions("jvm-user-flags", List.of("-Xmx96m"), "")) {
            List<String> running = commandLine(edge.pid());

            assertEquals("none", gcFlag(running), running.toString());
            assertFalse(running.containsAll(JvmRelaunch.FLAGS), running.toString());
            assertTrue(edge.logContains("JVM memory flags given (-Xmx96m)"), edge.describe());
        }
    }

    @Test
    void aUsersAllocatorChoiceStands() throws IOException {
        try (EdgeProcess edge =
                EdgeProcess.startWithOptions("jvm-user-allocator", List.of("-Dio.netty.allocator.type=adaptive"), "")) {
            assertTrue(edge.logContains("transport, adaptive allocator)"), edge.describe());
        }
    }
}
