package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real signals to a real JVM ({@link SignalProbeMain}) started with this JVM's {@code java} and
 * classpath, so the native library is the one the build compiled into {@code target/classes}.
 */
class SignalListenerProcessTest {

    private static final Path LOGS = Path.of("target", "signal-probes");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern READY = Pattern.compile("^ready (\\d+) (.*)$");
    private static final String NATIVE = "native self-pipe for QUIT, TERM, INT, HUP";

    private final List<ManagedProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(ManagedProcess::close);
    }

    private static Path jdkTool(String name) {
        Path java = Path.of(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        return java.resolveSibling(name);
    }

    private static List<String> probeCommand(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(jdkTool("java").toString());
        command.add("-Xmx64m");
        // What edge-server.jar's manifest says (Enable-Native-Access); JDK 22+ warns without it.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SignalProbeMain.class.getName()));
        return command;
    }

    private ManagedProcess start(String name, List<String> command) {
        ManagedProcess probe = ManagedProcess.builder(name, command)
                .logDir(LOGS)
                .tailLines(2_000)
                .start();
        processes.add(probe);
        probe.awaitOutput(READY, WAIT);
        return probe;
    }

    private ManagedProcess startProbe(String... jvmOptions) {
        return start("signal-probe", probeCommand(jvmOptions));
    }

    private static String mechanism(ManagedProcess probe) {
        Matcher ready = READY.matcher(probe.awaitOutput(READY, WAIT));
        assertTrue(ready.matches());
        return ready.group(2);
    }

    private static List<String> signalLines(ManagedProcess probe) {
        return probe.outputLines().stream()
                .filter(line -> line.startsWith("signal "))
                .toList();
    }

    private static void awaitSignalLines(ManagedProcess probe, int count) {
        Awaitility.await(probe.name() + " reports " + count + " signals")
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> signalLines(probe).size() >= count);
    }

    /** Runs a JDK tool against the probe and returns its output; it must succeed. */
    private ManagedProcess runTool(String tool, String... arguments) {
        List<String> command = new ArrayList<>(List.of(jdkTool(tool).toString()));
        command.addAll(List.of(arguments));
        ManagedProcess process = ManagedProcess.builder(tool, command)
                .logDir(LOGS)
                .tailLines(5_000)
                .start();
        processes.add(process);
        assertEquals(0, process.awaitExit(Duration.ofSeconds(60)), process.describe());
        return process;
    }

    @Test
    void nativeLibraryDeliversAllFourSignals() {
        ManagedProcess probe = startProbe();

        assertEquals(NATIVE, mechanism(probe));
    }

    @Test
    void twentyQuitsInARowAreTwentySignalsAndNoThreadDump() {
        ManagedProcess probe = startProbe();
        for (int i = 1; i <= 20; i++) {
            probe.signal("QUIT");
            awaitSignalLines(probe, i);
        }

        long quits = signalLines(probe).stream().filter("signal QUIT"::equals).count();
        assertEquals(
                List.of(20L, false, true),
                List.of(quits, probe.outputContains(Pattern.compile("Full thread dump")), probe.isAlive()),
                "[QUIT lines, thread dump printed, alive]\n" + probe.describe());
    }

    @Test
    void hupIntTermArriveInOrderAndTermEndsTheProbe() {
        ManagedProcess probe = startProbe();
        probe.signal("HUP");
        awaitSignalLines(probe, 1);
        probe.signal("INT");
        awaitSignalLines(probe, 2);
        probe.signal("TERM");

        assertEquals(0, probe.awaitExit(WAIT));
        assertEquals(List.of("signal HUP", "signal INT", "signal TERM"), signalLines(probe), probe.describe());
    }

    @Test
    void jcmdThreadPrintStillWorksAndIsNotReportedAsQuit() {
        ManagedProcess probe = startProbe();

        ManagedProcess jcmd = runTool("jcmd", Long.toString(probe.pid()), "Thread.print");
        assertTrue(jcmd.outputContains(Pattern.compile("\"" + SignalListener.THREAD_NAME + "\"")), jcmd.describe());

        // The pipe is FIFO: a QUIT from jcmd would have been reported before this HUP.
        probe.signal("HUP");
        awaitSignalLines(probe, 1);
        assertEquals(List.of("signal HUP"), signalLines(probe), probe.describe());
    }

    @Test
    void jstackStillWorksAndIsNotReportedAsQuit() {
        ManagedProcess probe = startProbe();

        ManagedProcess jstack = runTool("jstack", Long.toString(probe.pid()));
        assertTrue(jstack.outputContains(Pattern.compile("\"" + SignalListener.THREAD_NAME + "\"")), jstack.describe());

        probe.signal("HUP");
        awaitSignalLines(probe, 1);
        assertEquals(List.of("signal HUP"), signalLines(probe), probe.describe());
    }

    @Test
    void intAndQuitIgnoredByShAreTakenOverAnyway() {
        // As "java ... &" in a non-interactive sh: INT and QUIT start ignored, and exec keeps that.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\""));
        command.addAll(probeCommand());
        ManagedProcess probe = start("signal-probe-ignored", command);
        probe.signal("INT");
        awaitSignalLines(probe, 1);
        probe.signal("QUIT");
        awaitSignalLines(probe, 2);

        assertEquals(List.of("signal INT", "signal QUIT"), signalLines(probe), probe.describe());
    }

    @Test
    void withoutTheNativeLibraryQuitIsReportedUnavailable() {
        ManagedProcess probe = startProbe("-D" + NativeSignals.ENABLED_PROPERTY + "=false");

        assertEquals(
                "sun.misc.Signal for TERM, INT, HUP; QUIT unavailable: native library disabled by -D"
                        + NativeSignals.ENABLED_PROPERTY + "=false",
                mechanism(probe));
    }

    @Test
    void withoutTheNativeLibraryHupIntTermStillArriveInOrder() {
        ManagedProcess probe = startProbe("-D" + NativeSignals.ENABLED_PROPERTY + "=false");
        probe.signal("HUP");
        awaitSignalLines(probe, 1);
        probe.signal("INT");
        awaitSignalLines(probe, 2);
        probe.signal("TERM");

        assertEquals(0, probe.awaitExit(WAIT));
        assertEquals(List.of("signal HUP", "signal INT", "signal TERM"), signalLines(probe), probe.describe());
    }

    @Test
    void aMissingLibraryFallsBackAndSaysWhy() {
        ManagedProcess probe =
                startProbe("-D" + NativeSignals.LIBRARY_PROPERTY + "=/nonexistent/librtmpedge-signals.so");

        String mechanism = mechanism(probe);
        assertTrue(
                mechanism.startsWith(
                                "sun.misc.Signal for TERM, INT, HUP; QUIT unavailable: cannot load the native library: ")
                        && mechanism.contains("/nonexistent/librtmpedge-signals.so"),
                mechanism);
    }

    @Test
    void aLibraryDirectoryLoadsThisPlatformsLibraryFromIt() {
        // As the image does: -Drtmpedge.signals.library=/app/native, holding linux-<arch>/ for each architecture.
        Path dir = Path.of("target", "classes", "native").toAbsolutePath();
        ManagedProcess probe = startProbe("-D" + NativeSignals.LIBRARY_PROPERTY + "=" + dir);

        assertEquals(NATIVE, mechanism(probe), probe.describe());
    }
}
