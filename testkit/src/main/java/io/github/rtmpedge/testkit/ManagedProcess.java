package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A child process owned by a test: started with {@link ProcessBuilder}, stdin closed, stdout and
 * stderr merged and captured both to a log file and to a bounded in-memory tail of lines.
 *
 * <p>Output is split into lines at {@code \n} and at {@code \r} (ffmpeg rewrites its progress line
 * with {@code \r}), so every {@code frame=} report becomes its own line in the log file.
 *
 * <p><b>Signals.</b> A process started in the background by {@code sh} inherits SIGINT and SIGQUIT as
 * <em>ignored</em>, and an ignored disposition survives {@code exec}: if the JVM running the tests
 * was started that way, so would every child be, and {@link #signal(String) signal("INT")} would
 * do nothing. When coreutils' {@code env} supports {@code --default-signal} the command is therefore
 * run through {@code env --default-signal=INT,QUIT --}, which resets both to their defaults and then
 * {@code exec}s the command in the same process (so {@link #pid()} is the command's pid).
 *
 * <p><b>No leftovers.</b> Every started process is kept in a JVM-wide registry until it is closed;
 * a shutdown hook forcibly kills whatever is still running (and its descendants) when the JVM exits.
 * {@link #close()} asks politely (SIGTERM), waits a grace period, then kills (SIGKILL), kills any
 * descendants left over, and always waits for the process to be reaped.
 */
public final class ManagedProcess implements AutoCloseable {

    /** Default number of output lines kept in memory. */
    public static final int DEFAULT_TAIL_LINES = 400;
    /** Default time between SIGTERM and SIGKILL in {@link #close()}. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final List<String> DEFAULT_SIGNALS_PREFIX = probeDefaultSignalPrefix();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::killAllForcibly, "managed-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final ProcessOutput output;
    private final Duration grace;
    private final Thread reader;
    private volatile boolean closed;

    private ManagedProcess(Builder builder) throws IOException {
        this.name = builder.name;
        this.command = List.copyOf(builder.command);
        this.grace = builder.grace;
        Files.createDirectories(builder.logDir);
        Path logFile = uniqueLogFile(builder.logDir, name);
        this.output = new ProcessOutput(logFile, builder.tailLines);

        List<String> full = new ArrayList<>(DEFAULT_SIGNALS_PREFIX);
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(builder.stderrFile == null)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (builder.stderrFile != null) {
            pb.redirectError(builder.stderrFile.toFile());
        }
        if (builder.directory != null) {
            pb.directory(builder.directory.toFile());
        }
        pb.environment().putAll(builder.environment);
        OutputStream log = Files.newOutputStream(logFile);
        try {
            this.process = pb.start();
        } catch (IOException e) {
            log.close();
            throw new IOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        RUNNING.add(this);
        this.reader = output.pump(name + "-output", process.getInputStream(), log);
    }

    /** A builder for a process named {@code name} (used in thread names, log file names and failure messages). */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /** Starts {@code command} with its log in {@code logDir} and the default tail size and grace period. */
    public static ManagedProcess start(String name, Path logDir, List<String> command) {
        return builder(name, command).logDir(logDir).start();
    }

    /** Starts {@code command} with its log in {@code logDir} and the default tail size and grace period. */
    public static ManagedProcess start(String name, Path logDir, String... command) {
        return start(name, logDir, List.of(command));
    }

    /** The processes started and not yet closed, in no particular order. */
    public static List<ManagedProcess> running() {
        return List.copyOf(RUNNING);
    }

    public String name() {
        return name;
    }

    /** The command as given (without the {@code env --default-signal} prefix). */
    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding the whole output, one line per {@code \n} or {@code \r}. */
    public Path logFile() {
        return output.logFile();
    }

    /** The exit code, or empty while the process runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Sends a signal with {@code kill -SIG pid}, e.g. {@code signal("INT")}, {@code signal("QUIT")},
     * {@code signal("HUP")}.
     *
     * @throws IllegalStateException when {@code kill} fails (e.g. the process has already exited)
     */
    public void signal(String sig) {
        Objects.requireNonNull(sig, "sig");
        String bare = sig.startsWith("SIG") ? sig.substring(3) : sig;
        try {
            Process kill = new ProcessBuilder("kill", "-" + bare, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = kill.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(
                        "kill -" + bare + " " + pid() + " (" + name + ") failed with " + rc + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill for " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /**
     * Waits for the process to exit and for its output to be fully captured, and returns the exit code.
     *
     * @throws AssertionError describing the process (command, log, output tail) if it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + describe());
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /**
     * Waits up to {@code timeout} for the process to exit; true if it has. Unlike {@link #awaitExit}
     * a process still running is not a failure (use it to let a client run for a while).
     */
    public boolean waitFor(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                reader.join(5_000);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }

    /** The last lines of output kept in memory (at most the builder's tail size). */
    public List<String> tail() {
        return output.tail();
    }

    /** The whole output captured so far, from the log file, one entry per line. */
    public List<String> outputLines() {
        return output.lines();
    }

    /** True when any line captured so far contains a match for {@code pattern}. */
    public boolean outputContains(Pattern pattern) {
        return firstMatch(pattern).isPresent();
    }

    /**
     * Waits until a line of output contains a match for {@code pattern} and returns that line.
     *
     * @throws AssertionError describing the process if no line matches within {@code timeout}
     */
    public String awaitOutput(Pattern pattern, Duration timeout) {
        try {
            return Awaitility.await(name + " prints /" + pattern + "/")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> firstMatch(pattern), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    name + " printed nothing matching /" + pattern + "/ within " + timeout + "\n" + describe(), e);
        }
    }

    /** A multi-line description for failure messages: name, pid, state, command, log file and the output tail. */
    public String describe() {
        List<String> lines = tail();
        int shown = Math.min(lines.size(), 60);
        return name + " (pid " + pid() + ", " + (isAlive() ? "running" : "exited " + process.exitValue()) + ")\n"
                + "  command: " + String.join(" ", command) + "\n"
                + "  log: " + output.logFile() + "\n"
                + "  last " + shown + " lines:\n"
                + lines.subList(lines.size() - shown, lines.size()).stream()
                        .map(l -> "    | " + l)
                        .collect(Collectors.joining("\n"));
    }

    /**
     * Stops the process: SIGTERM, up to the grace period, then SIGKILL; descendants still alive are
     * killed too. Always waits for the process to be reaped. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
            process.waitFor();
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + "]";
    }

    private Optional<String> firstMatch(Pattern pattern) {
        return output.firstMatch(pattern);
    }

    private static Path uniqueLogFile(Path dir, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path candidate = dir.resolve(safe + ".log");
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = dir.resolve(safe + "-" + i + ".log");
        }
        return candidate;
    }

    private static void killAllForcibly() {
        for (ManagedProcess p : RUNNING) {
            p.process.descendants().forEach(ProcessHandle::destroyForcibly);
            p.process.destroyForcibly();
        }
    }

    private static List<String> probeDefaultSignalPrefix() {
        Path env = Path.of("/usr/bin/env");
        if (!Files.isExecutable(env)) {
            return List.of();
        }
        try {
            Process probe = new ProcessBuilder(env.toString(), "--default-signal=INT,QUIT", "--", "true")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return List.of(env.toString(), "--default-signal=INT,QUIT", "--");
            }
            probe.destroyForcibly();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    /** Options for {@link ManagedProcess}. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logDir;
        private Path directory;
        private int tailLines = DEFAULT_TAIL_LINES;
        private Duration grace = DEFAULT_GRACE;
        private Path stderrFile;

        private Builder(String name, List<String> command) {
            this.name = Objects.requireNonNull(name, "name");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command for " + name);
            }
            this.command = List.copyOf(command);
        }

        /** Where the log file {@code <name>.log} goes (required). */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** The working directory (default: the JVM's). */
        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /** Adds or overrides an environment variable. */
        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** How many output lines to keep in memory. */
        public Builder tailLines(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("tailLines must be positive, was " + lines);
            }
            this.tailLines = lines;
            return this;
        }

        /** Time between SIGTERM and SIGKILL in {@link ManagedProcess#close()}. */
        public Builder grace(Duration grace) {
            this.grace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * Writes standard error to {@code file} instead of merging it into the output: the output is
         * then standard output alone (to check what a program prints there, line by line).
         */
        public Builder stderrTo(Path file) {
            this.stderrFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Starts the process. */
        public ManagedProcess start() {
            Objects.requireNonNull(logDir, "logDir");
            try {
                return new ManagedProcess(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
