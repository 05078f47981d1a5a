package io.github.rtmpedge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path logs;

    @Test
    void capturesStdoutAndStderrToTheLogAndTheTail() throws Exception {
        try (ManagedProcess p =
                ManagedProcess.start("echo", logs, "sh", "-c", "echo out-line; echo err-line >&2; exit 3")) {
            assertEquals(3, p.awaitExit(Duration.ofSeconds(10)));
            assertEquals(
                    List.of("err-line", "out-line"),
                    Files.readAllLines(p.logFile()).stream().sorted().collect(Collectors.toList()));
            assertTrue(p.tail().contains("err-line"), p.describe());
        }
    }

    @Test
    void splitsCarriageReturnProgressIntoLines() {
        try (ManagedProcess p = ManagedProcess.start("progress", logs, "printf", "frame=1\\rframe=2\\rframe=3\\n")) {
            p.awaitExit(Duration.ofSeconds(10));
            assertEquals(List.of("frame=1", "frame=2", "frame=3"), p.outputLines());
        }
    }

    @Test
    void keepsOnlyTheLastLinesInMemory() {
        try (ManagedProcess p = ManagedProcess.builder("seq", List.of("seq", "1", "1000"))
                .logDir(logs)
                .tailLines(10)
                .start()) {
            p.awaitExit(Duration.ofSeconds(10));
            assertEquals(List.of("991", "992", "993", "994", "995", "996", "997", "998", "999", "1000"), p.tail());
        }
    }

    @Test
    void awaitOutputReturnsTheFirstMatchingLine() {
        try (ManagedProcess p =
                ManagedProcess.start("ready", logs, "sh", "-c", "echo starting; echo 'ready on 1234'; exec sleep 60")) {
            assertEquals("ready on 1234", p.awaitOutput(Pattern.compile("ready on \\d+"), Duration.ofSeconds(10)));
            assertTrue(p.isAlive());
        }
    }

    @Test
    void awaitOutputFailsWithTheProcessDescription() {
        try (ManagedProcess p = ManagedProcess.start("quiet", logs, "sh", "-c", "echo nothing-useful; exec sleep 60")) {
            AssertionError e = assertThrows(
                    AssertionError.class, () -> p.awaitOutput(Pattern.compile("never"), Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("nothing-useful"), e.getMessage());
        }
    }

    @Test
    void interruptAndQuitAreNotIgnoredByChildren() throws Exception {
        try (ManagedProcess p = ManagedProcess.start("status", logs, "cat", "/proc/self/status")) {
            p.awaitExit(Duration.ofSeconds(10));
            String sigIgn = p.outputLines().stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .findFirst()
                    .orElseThrow();
            long ignored = Long.parseLong(sigIgn.substring("SigIgn:".length()).trim(), 16);
            // Bit n-1 stands for signal n: SIGINT is 2, SIGQUIT is 3.
            assertEquals(0, ignored & 0b110, sigIgn);
        }
    }

    @Test
    void signalInterruptStopsTheProcess() {
        try (ManagedProcess p = ManagedProcess.start("sleeper", logs, "sleep", "60")) {
            p.signal("INT");
            // 128 + SIGINT(2): sleep died of the signal.
            assertEquals(130, p.awaitExit(Duration.ofSeconds(10)));
        }
    }

    @Test
    void closeKillsTheProcessAndItsChildren() {
        ManagedProcess p = ManagedProcess.builder(
                        "tree", List.of("sh", "-c", "trap '' TERM; sleep 300 & sleep 300 & echo started; wait"))
                .logDir(logs)
                .grace(Duration.ofMillis(200))
                .start();
        p.awaitOutput(Pattern.compile("started"), Duration.ofSeconds(10));
        List<ProcessHandle> children =
                ProcessHandle.of(p.pid()).orElseThrow().descendants().collect(Collectors.toList());
        assertEquals(2, children.size(), p.describe());

        p.close();

        assertFalse(p.isAlive());
        for (ProcessHandle child : children) {
            child.onExit().join();
            assertFalse(child.isAlive(), "child " + child.pid());
        }
        assertFalse(ManagedProcess.running().contains(p));
    }

    @Test
    void aMissingProgramNamesItsDebianPackage() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> Binaries.require("no-such-program-rtmpedge", "rtmpedge-tools"));
        assertTrue(e.getMessage().contains("'rtmpedge-tools'"), e.getMessage());
    }
}
