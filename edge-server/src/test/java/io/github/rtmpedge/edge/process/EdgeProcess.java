package io.github.rtmpedge.edge.process;

import io.github.rtmpedge.testkit.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server process, started as the README says ({@code java -jar edge-server/target/edge-server.jar
 * -c FILE}) with the test JVM's own {@code java}. The configuration file listens on
 * {@code 127.0.0.1:0} for RTMP and HTTP unless the caller's file says otherwise; the bound ports
 * are read from the start-up log lines.
 */
final class EdgeProcess implements AutoCloseable {

    /** The shaded jar, relative to the module directory (failsafe's working directory). */
    static final Path JAR = Path.of("target", "edge-server.jar");
    /** Configuration files and process logs of every run. */
    static final Path LOGS = Path.of("target", "process-it");

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** What {@link #start} puts before the caller's lines. */
    static final String LOOPBACK_PORTS = "listen = [\"127.0.0.1:0\"]\nhttp_api.listen = \"127.0.0.1:0\"\n";

    private static final Pattern RTMP_LISTENING = Pattern.compile("RTMP listening on /[^ ]*:(\\d+)");
    private static final Pattern HTTP_LISTENING = Pattern.compile("HTTP API listening on /[^ ]*:(\\d+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path configFile;
    private final ManagedProcess process;
    private final int rtmpPort;
    private final int httpPort;

    private EdgeProcess(String name, Path configFile, List<String> jvmOptions, Path stderr) {
        this.configFile = configFile;
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString(), "-c", configFile.toString()));
        ManagedProcess.Builder builder =
                ManagedProcess.builder(name, command).logDir(LOGS).tailLines(2_000);
        if (stderr != null) {
            builder.stderrTo(stderr);
        }
        this.process = builder.start();
        try {
            this.rtmpPort = port(process.awaitOutput(RTMP_LISTENING, START_TIMEOUT), RTMP_LISTENING);
            this.httpPort = port(process.awaitOutput(HTTP_LISTENING, START_TIMEOUT), HTTP_LISTENING);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
    }

    /** Starts the server with a HOCON file: loopback port 0 for RTMP and HTTP, then {@code extraHocon}. */
    static EdgeProcess start(String name, String extraHocon) {
        return startWithFile(name, writeConfig(name, LOOPBACK_PORTS + extraHocon));
    }

    /** Starts the server with {@code configFile} as is (the tests connect to its ports on 127.0.0.1). */
    static EdgeProcess startWithFile(String name, Path configFile) {
        return startWithFile(name, configFile, List.of(), null);
    }

    /**
     * Starts the server with {@code jvmOptions} before {@code -jar}, and its standard error written to
     * {@code stderr} (then {@link #log()} is standard output alone), or merged when null.
     */
    static EdgeProcess startWithFile(String name, Path configFile, List<String> jvmOptions, Path stderr) {
        requireJar();
        return new EdgeProcess(name, configFile, jvmOptions, stderr);
    }

    /** {@link #start} with {@code jvmOptions} before {@code -jar}. */
    static EdgeProcess startWithOptions(String name, List<String> jvmOptions, String extraHocon) {
        return startWithFile(name, writeConfig(name, LOOPBACK_PORTS + extraHocon), jvmOptions, null);
    }

    static void requireJar() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: process tests run after `package`");
        }
    }

    /** Writes {@code content} to a new file under {@link #LOGS}. */
    static Path writeConfig(String name, String content) {
        try {
            Files.createDirectories(LOGS);
            Path file = LOGS.resolve(name + "-" + SEQUENCE.incrementAndGet() + ".conf");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code java} running this test JVM, and its JDK's tools beside it. */
    static Path java() {
        return Path.of(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    private static int port(String line, Pattern pattern) {
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new AssertionError("no port in " + line);
        }
        return Integer.parseInt(m.group(1));
    }

    Path configFile() {
        return configFile;
    }

    /** Replaces the configuration file's content (before a SIGHUP). */
    void rewriteConfig(String content) {
        try {
            Files.writeString(configFile, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ManagedProcess process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    int rtmpPort() {
        return rtmpPort;
    }

    int httpPort() {
        return httpPort;
    }

    /** {@code rtmp://127.0.0.1:<port>/live/<stream>}. */
    String rtmpUrl(String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + stream;
    }

    /** The HTTP status of {@code GET /readyz}, or -1 when the HTTP port does not answer. */
    int readyz() {
        try {
            return HTTP.send(request("/readyz"), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The body of {@code GET path}; fails unless the status is 200. */
    String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
    }

    /** {@code kill -SIG pid}. */
    void signal(String sig) {
        process.signal(sig);
    }

    int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a log line matching {@code pattern} and returns it. */
    String awaitLog(Pattern pattern, Duration timeout) {
        return process.awaitOutput(pattern, timeout);
    }

    /** Every log line so far. */
    List<String> log() {
        return process.outputLines();
    }

    boolean logContains(String text) {
        return log().stream().anyMatch(line -> line.contains(text));
    }

    boolean outputMatches(Pattern pattern) {
        return process.outputContains(pattern);
    }

    String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.close();
    }
}
