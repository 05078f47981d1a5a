package io.github.rtmpedge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One statement of an SRS configuration file: {@code name arg1 arg2;} ({@code block} is null) or
 * {@code name arg1 { ... }} ({@code block} holds the statements inside).
 *
 * @param name the directive's name ({@code listen})
 * @param args its arguments, quotes removed ({@code ["1935", "1936"]})
 * @param block the statements between the braces, or {@code null} for a {@code ;}-terminated directive
 * @param file the file it was read from (an included file for directives that came from {@code include})
 * @param line its line in {@code file}, from 1
 */
record SrsDirective(String name, List<String> args, List<SrsDirective> block, Path file, int line) {

    SrsDirective {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
        Objects.requireNonNull(file, "file");
    }

    boolean hasBlock() {
        return block != null;
    }

    /** {@code file:line}, for problems. */
    String where() {
        return file + ":" + line;
    }

    /** The directive as written, without its block: {@code listen 1935 1936}. */
    String text() {
        return args.isEmpty() ? name : name + " " + String.join(" ", args);
    }
}
