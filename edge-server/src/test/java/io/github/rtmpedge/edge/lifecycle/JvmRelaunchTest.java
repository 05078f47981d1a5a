package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the server replaces its JVM with one started with its memory defaults, and with what. */
class JvmRelaunchTest {

    private static final String MAIN = "io.github.rtmpedge.edge.Main";
    private static final List<String> COMMAND_LINE =
            List.of("-Dfoo=bar", "-jar", "/app/edge-server.jar", "-c", "e.conf");

    private static JvmRelaunch.Decision decide(Map<String, String> env, List<String> jvmArgs, String javaCommand) {
        return JvmRelaunch.decide(env, jvmArgs, javaCommand, MAIN, Optional.of(COMMAND_LINE));
    }

    @Test
    void aPlainJavaJarIsRelaunchedWithTheDefaultsBeforeItsOwnArgumentsAndMarked() {
        JvmRelaunch.Decision decision =
                decide(Map.of("PATH", "/bin"), List.of("-Dfoo=bar"), "/app/edge-server.jar -c e.conf");

        assertTrue(decision.stay().isEmpty());
        List<String> expected = new ArrayList<>();
        expected.add("java");
        expected.addAll(JvmRelaunch.FLAGS);
        expected.addAll(COMMAND_LINE);
        assertEquals(expected, decision.argv());
        assertEquals(Map.of("PATH", "/bin", JvmRelaunch.ENV, JvmRelaunch.APPLIED), decision.env());
    }

    @Test
    void theMainClassOnAClassPathIsRelaunchedToo() {
        assertFalse(decide(Map.of(), List.of(), MAIN + " -c e.conf").argv().isEmpty());
    }

    @Test
    void theRelaunchedJvmStaysAndSaysWhatItRunsWith() {
        JvmRelaunch.Decision decision =
                decide(Map.of(JvmRelaunch.ENV, "applied"), JvmRelaunch.FLAGS, "/app/edge-server.jar");

        JvmRelaunch.Outcome outcome = decision.stay().orElseThrow();
        assertFalse(outcome.warning());
        assertTrue(outcome.message().contains(String.join(" ", JvmRelaunch.FLAGS)), outcome.message());
    }

    @Test
    void flagsChoosingTheHeapOrTheCollectorAreTheUsers() {
        for (String flag : List.of(
                "-Xmx512m",
                "-Xms64m",
                "-XX:MaxRAMPercentage=35",
                "-XX:InitialRAMPercentage=5",
                "-XX:+UseG1GC",
                "-XX:+UseZGC",
                "-XX:MaxHeapSize=1g",
                "-XX:MaxHeapFreeRatio=50")) {
            JvmRelaunch.Decision decision = decide(Map.of(), List.of("-Dx=y", flag), "/app/edge-server.jar -c e.conf");

            JvmRelaunch.Outcome outcome = decision.stay().orElseThrow(() -> new AssertionError(flag));
            assertFalse(outcome.warning(), flag);
            assertTrue(outcome.message().contains(flag), outcome.message());
        }
    }

    @Test
    void otherFlagsAreNotAChoiceOfHeap() {
        assertTrue(decide(Map.of(), List.of("-XX:+ExitOnOutOfMemoryError", "-Dlogback.debug=true", "-Xss512k"), "x.jar")
                .stay()
                .isEmpty());
    }

    @Test
    void offKeepsTheJvmsOwnSizingAndAnUnknownValueIsAWarning() {
        JvmRelaunch.Outcome off = decide(Map.of(JvmRelaunch.ENV, "OFF"), List.of(), "x.jar")
                .stay()
                .orElseThrow();
        JvmRelaunch.Outcome odd = decide(Map.of(JvmRelaunch.ENV, "maybe"), List.of(), "x.jar")
                .stay()
                .orElseThrow();

        assertFalse(off.warning());
        assertTrue(odd.warning());
        assertTrue(odd.message().contains("maybe"), odd.message());
    }

    @Test
    void aJvmThatIsNotTheServersOwnIsNeverReplaced() {
        JvmRelaunch.Decision decision =
                decide(Map.of(), List.of(), "org.apache.maven.surefire.booter.ForkedBooter /tmp/surefire 1.tmp");

        assertTrue(decision.stay().isEmpty());
        assertTrue(decision.argv().isEmpty());
    }

    @Test
    void anUnknownCommandLineIsAWarningNotAGuess() {
        JvmRelaunch.Decision decision = JvmRelaunch.decide(Map.of(), List.of(), "x.jar", MAIN, Optional.empty());

        assertTrue(decision.stay().orElseThrow().warning());
    }
}
