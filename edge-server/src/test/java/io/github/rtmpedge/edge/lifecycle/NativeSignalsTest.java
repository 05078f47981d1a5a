package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of the jar's signal libraries a JVM loads, from its os.name and os.arch. */
class NativeSignalsTest {

    @Test
    void linuxOnX8664AndAarch64HaveALibraryAndNothingElseDoes() {
        List<Optional<String>> platforms = Arrays.asList(
                NativeSignals.platform("Linux", "amd64"),
                NativeSignals.platform("Linux", "x86_64"),
                NativeSignals.platform("Linux", "aarch64"),
                NativeSignals.platform("Linux", "riscv64"),
                NativeSignals.platform("Mac OS X", "aarch64"),
                NativeSignals.platform("Linux", null));

        assertEquals(
                List.of(
                        Optional.of("linux-x86_64"),
                        Optional.of("linux-x86_64"),
                        Optional.of("linux-aarch64"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                platforms);
    }

    @Test
    void theLibraryOfThisPlatformIsOnTheClasspath() {
        String platform = NativeSignals.platform(System.getProperty("os.name"), System.getProperty("os.arch"))
                .orElseThrow();

        assertNotNull(NativeSignals.class.getResource("/native/" + platform + "/" + NativeSignals.FILE_NAME), platform);
        assertNotNull(
                NativeSignals.class.getResource("/native/linux-aarch64/" + NativeSignals.FILE_NAME),
                "the arm64 library");
    }
}
