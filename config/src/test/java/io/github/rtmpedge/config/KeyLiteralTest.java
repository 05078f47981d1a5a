package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A key's name is written in {@link ConfigKey} and nowhere else: no string literal in the main
 * sources of the config module and of the edge server equals a key's path.
 */
class KeyLiteralTest {

    /** The module's directory: surefire runs tests there and also passes it as {@code basedir}. */
    private static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));

    private static final List<Path> SOURCES = List.of(
            MODULE.resolve("src/main/java"),
            MODULE.resolveSibling("edge-server").resolve("src/main/java"));
    private static final Path TABLE = MODULE.resolve("src/main/java/io/github/rtmpedge/config/ConfigKey.java");

    @Test
    void noSourceOutsideTheTableSpellsAKeyPath() throws IOException {
        Set<String> paths =
                Arrays.stream(ConfigKey.values()).map(ConfigKey::path).collect(Collectors.toSet());
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path root : SOURCES) {
            assertTrue(Files.isDirectory(root), root + " is missing: nothing would be scanned");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".java"))
                        .sorted()
                        .toList();
            }
            for (Path file : files) {
                if (Files.isSameFile(file, TABLE)) {
                    continue;
                }
                scanned++;
                for (String literal : stringLiterals(read(file))) {
                    if (paths.contains(literal)) {
                        found.add(MODULE.getParent().relativize(file) + ": \"" + literal + "\"");
                    }
                }
            }
        }
        assertTrue(scanned > 20, "scanned only " + scanned + " files");
        assertEquals(List.of(), found, "key paths spelled outside ConfigKey (use the table's constant)");
    }

    @Test
    void literalsAreFoundOutsideCommentsAndCharacters() {
        String source = "call(\"a.b\", 'x', '\"', '\\'');  // \"in a line comment\"\n"
                + "/* \"in a block comment\" */ String s = \"with \\\" quote\" + \"\";\n"
                + "String t = \"\"\"\n    text block\"\"\";";
        assertEquals(List.of("a.b", "with \\\" quote", "", "\n    text block"), stringLiterals(source));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contents of every string literal and text block, escapes left as written. */
    static List<String> stringLiterals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end;
                literals.add(source.substring(i + 3, end));
                i = end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int start = ++i;
                while (i < source.length() && source.charAt(i) != quote) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                if (quote == '"') {
                    literals.add(source.substring(start, Math.min(i, source.length())));
                }
                i++;
            } else {
                i++;
            }
        }
        return literals;
    }
}
