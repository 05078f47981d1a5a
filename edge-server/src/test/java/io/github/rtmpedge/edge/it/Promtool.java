package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.testkit.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics} (Debian package prometheus) with an exposition on stdin. */
final class Promtool {

    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "promtool check metrics: exit " + exitCode + "\n" + output;
        }
    }

    private Promtool() {}

    static Result checkMetrics(Path exposition, Duration timeout) {
        Process p = null;
        try {
            p = new ProcessBuilder(Binaries.require("promtool", "prometheus").toString(), "check", "metrics")
                    .redirectInput(exposition.toFile())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Result(-1, "timed out after " + timeout);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
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
