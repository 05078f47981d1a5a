package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * nginx with the RTMP module (Debian {@code libnginx-mod-rtmp}) as a reference origin or relay edge,
 * in the foreground ({@code daemon off; master_process off}) on 127.0.0.1 and a random port.
 *
 * <p>Everything it writes (config, pid file, error log) lives in the directory given to the
 * builder. Application {@code live} has {@code live on}; with {@link Builder#pull(String)} it
 * pulls streams it does not have from an upstream, like a relay edge. nginx-rtmp keeps no GOP
 * cache (a late player waits for the next keyframe) and drops its players when its upstream goes away.
 *
 * <pre>{@code
 * try (NginxRtmp origin = NginxRtmp.builder(tempDir).start()) {
 *     String url = origin.rtmpUrl("live", "s1");
 * }
 * }</pre>
 */
public final class NginxRtmp implements AutoCloseable {

    /** The application every instance defines. */
    public static final String APP = "live";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern MODULES_PATH = Pattern.compile("--modules-path=(\\S+)");
    private static volatile Path modulesPath;

    private final Path nginx;
    private final Path dir;
    private final String host;
    private final int port;
    private final int chunkSize;
    private final String pull;
    private final boolean waitKey;
    private int starts;
    private ManagedProcess process;

    private NginxRtmp(Builder b) {
        this.nginx = Binaries.require("nginx", "nginx");
        this.dir = b.dir.toAbsolutePath();
        this.host = b.host;
        this.port = b.port != 0 ? b.port : FreePorts.pick();
        this.chunkSize = b.chunkSize;
        this.pull = b.pull;
        this.waitKey = b.waitKey;
    }

    /** A builder writing into {@code dir} (created if missing). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The port nginx listens on (fixed for the life of this object, across restarts). */
    public int port() {
        return port;
    }

    /** The loopback address nginx listens on (127.0.0.1 unless the builder said otherwise). */
    public String host() {
        return host;
    }

    /** {@code rtmp://<host>:<port>/<app>/<stream>}. */
    public String rtmpUrl(String app, String stream) {
        return "rtmp://" + host + ":" + port + "/" + app + "/" + stream;
    }

    /** {@code rtmp://127.0.0.1:<port>/live/<stream>}. */
    public String rtmpUrl(String stream) {
        return rtmpUrl(APP, stream);
    }

    public Path directory() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("nginx.conf");
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The error log's content so far (empty if not written yet). */
    public String errorLogText() {
        try {
            return Files.exists(errorLog()) ? Files.readString(errorLog(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + errorLog(), e);
        }
    }

    /** The running nginx process. */
    public ManagedProcess process() {
        if (process == null) {
            throw new IllegalStateException("nginx on port " + port + " is not running");
        }
        return process;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts nginx (if stopped) and waits until its port accepts connections. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        writeConfig();
        starts++;
        process = ManagedProcess.builder(
                        "nginx-" + port + "-" + starts,
                        List.of(
                                nginx.toString(),
                                "-p",
                                dir + "/",
                                "-e",
                                errorLog().toString(),
                                "-c",
                                configFile().toString()))
                .logDir(dir)
                .directory(dir)
                .start();
        try {
            FreePorts.awaitAccepting(host, port, START_TIMEOUT);
        } catch (ConditionTimeoutException e) {
            String why = process.describe() + "\nerror.log:\n" + errorLogText();
            process.close();
            throw new AssertionError(
                    "nginx did not accept on " + host + ":" + port + " within " + START_TIMEOUT + "\n" + why, e);
        }
    }

    /** Stops nginx (SIGTERM, then SIGKILL after 5 s) and waits until the port refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.close();
        process = null;
        FreePorts.awaitRefused(host, port, START_TIMEOUT);
    }

    /** Stops and starts again on the same port; every connection is dropped. */
    public synchronized void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private void writeConfig() {
        String conf = "load_module " + modulesPath(nginx).resolve("ngx_rtmp_module.so") + ";\n"
                + "daemon off;\n"
                + "master_process off;\n"
                + "worker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + errorLog() + " info;\n"
                + "events { worker_connections 4096; }\n"
                + "rtmp {\n"
                + "  server {\n"
                + "    listen " + host + ":" + port + ";\n"
                + "    chunk_size " + chunkSize + ";\n"
                + "    application " + APP + " {\n"
                + "      live on;\n"
                + (waitKey ? "      wait_key on;\n" : "")
                + (pull != null ? "      pull " + pull + ";\n" : "")
                + "    }\n"
                + "  }\n"
                + "}\n";
        try {
            Files.createDirectories(dir);
            Files.writeString(configFile(), conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile(), e);
        }
    }

    /** The {@code --modules-path=} nginx was built with, checked to hold the RTMP module. */
    static Path modulesPath(Path nginx) {
        Path cached = modulesPath;
        if (cached != null) {
            return cached;
        }
        String version;
        try {
            Process p = new ProcessBuilder(nginx.toString(), "-V")
                    .redirectErrorStream(true)
                    .start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + nginx + " -V", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running nginx -V", e);
        }
        Matcher m = MODULES_PATH.matcher(version);
        Path path = m.find() ? Path.of(m.group(1)) : Path.of("/usr/lib/nginx/modules");
        if (!Files.isRegularFile(path.resolve("ngx_rtmp_module.so"))) {
            throw new IllegalStateException(
                    "the nginx RTMP module is missing from " + path
                            + ": install the Debian package 'libnginx-mod-rtmp' (apt-get install --no-install-recommends libnginx-mod-rtmp)");
        }
        modulesPath = path;
        return path;
    }

    /** Options for {@link NginxRtmp}. */
    public static final class Builder {
        private final Path dir;
        private String host = "127.0.0.1";
        private int port;
        private int chunkSize = 4096;
        private String pull;
        private boolean waitKey;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** Listen on this port instead of a free one chosen by {@link FreePorts}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Listen on this loopback address instead of 127.0.0.1 (Linux routes all of 127.0.0.0/8 to
         * lo): two origins on one port behind one test host name.
         */
        public Builder host(String loopbackIp) {
            this.host = Objects.requireNonNull(loopbackIp, "loopbackIp");
            return this;
        }

        /** The chunk size nginx sends with (its {@code chunk_size}; default 4096). */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 128) {
                throw new IllegalArgumentException("nginx-rtmp needs chunk_size >= 128, was " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /** Relay edge: pull missing streams from {@code upstreamAppUrl}, e.g. {@code rtmp://127.0.0.1:1234/live}. */
        public Builder pull(String upstreamAppUrl) {
            this.pull = Objects.requireNonNull(upstreamAppUrl, "upstreamAppUrl");
            return this;
        }

        /** {@code wait_key on}: a new player's video starts at a keyframe (default off, nginx's default). */
        public Builder waitKey(boolean waitKey) {
            this.waitKey = waitKey;
            return this;
        }

        /** Writes the config, starts nginx and waits until its port accepts connections. */
        public NginxRtmp start() {
            NginxRtmp nginx = new NginxRtmp(this);
            nginx.start();
            return nginx;
        }
    }
}
