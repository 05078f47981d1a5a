package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.testkit.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * promtool (Debian package prometheus): {@code check metrics} with an exposition on stdin,
 * {@code check rules} and {@code test rules} on files.
 */
final class Promtool {

    record Result(String command, int exitCode, String output) {
        @Override
        public String toString() {
            return "promtool " + command + ": exit " + exitCode + "\n" + output;
        }
    }

    private Promtool() {}

    static Result checkMetrics(Path exposition, Duration timeout) {
        return run(List.of("check", "metrics"), exposition, null, timeout);
    }

    static Result checkRules(Path rules, Duration timeout) {
        return run(List.of("check", "rules", rules.toString()), null, null, timeout);
    }

    /** {@code test rules}, run in the test file's directory (its rule_files are relative to it). */
    static Result testRules(Path tests, Duration timeout) {
        return run(
                List.of("test", "rules", tests.getFileName().toString()),
                null,
                tests.toAbsolutePath().getParent(),
                timeout);
    }

    private static Result run(List<String> args, Path stdin, Path directory, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Binaries.require("promtool", "prometheus").toString());
        command.addAll(args);
        String shown = String.join(" ", args);
        Process p = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Result(shown, -1, "timed out after " + timeout);
            }
            return new Result(
                    shown, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }
}
