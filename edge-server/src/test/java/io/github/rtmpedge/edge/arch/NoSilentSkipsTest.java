package io.github.rtmpedge.edge.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test of any module skips itself: a missing peer fails naming its Debian package (testkit's
 * {@code Binaries}), never turns a test into a silent skip. The one opt-out is explicit and asked
 * for by name: {@code -Ddocker.it.skip=true} (the image test, built once per CI run).
 */
class NoSilentSkipsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SKIP = Pattern.compile(
            "\\bAssumptions\\b|\\bassume(True|False|That)\\b|@Disabled|@EnabledIf|@DisabledIf|@EnabledOn|@DisabledOn");
    private static final List<String> EXPLICIT_OPT_OUTS =
            List.of("edge-server/src/test/java/io/github/rtmpedge/edge/process/DockerImageProcessIT.java");

    @Test
    void noTestSourceSkipsItself() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> ROOT.relativize(f).toString().matches("[^/]+/src/test/java/.*"))
                    .toList();
        }
        assertTrue(sources.size() > 50, () -> "test sources found under " + ROOT + ": " + sources.size());
        List<String> skipping = sources.stream()
                .filter(f -> !f.getFileName().toString().equals("NoSilentSkipsTest.java"))
                .filter(f -> SKIP.matcher(read(f)).find())
                .map(f -> ROOT.relativize(f).toString())
                .sorted()
                .toList();
        assertEquals(EXPLICIT_OPT_OUTS, skipping);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
