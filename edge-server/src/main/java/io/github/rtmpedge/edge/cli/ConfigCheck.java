package io.github.rtmpedge.edge.cli;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.config.InvalidConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code -t} and {@code -T}: reads and validates the configuration exactly as start-up does (file,
 * system properties, {@code CONFIG_FORCE_} variables), prints every problem or the warnings, and
 * returns the exit status, as {@code nginx -t} and {@code srs -t} do. Opens no port, starts no
 * thread, writes no log line.
 */
public final class ConfigCheck {

    private ConfigCheck() {}

    /** Exit status 0: the configuration is valid (warnings allowed). */
    public static final int VALID = 0;
    /** Exit status 1: at least one problem, each printed on its own line. */
    public static final int INVALID = 1;

    /** Checks with the process's own environment and system properties; returns the exit status. */
    public static int run(Optional<Path> file, boolean dump, PrintStream out, PrintStream err) {
        String what = file.map(f -> "configuration file " + f + " ("
                        + EdgeConfigLoader.syntaxOf(f).name().toLowerCase(Locale.ROOT) + ")")
                .orElse("configuration (no file: defaults, system properties and environment)");
        EdgeConfig config;
        try {
            config = EdgeConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            err.println("rtmp-edge: " + what + ": " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems"));
            e.problems().forEach(p -> err.println("rtmp-edge: " + p));
            err.println("rtmp-edge: " + what + " test failed");
            return INVALID;
        }
        if (dump) {
            out.println(config.render());
        }
        config.warnings().forEach(w -> out.println("rtmp-edge: warning: " + w));
        out.println("rtmp-edge: " + what + " test is successful");
        return VALID;
    }
}
