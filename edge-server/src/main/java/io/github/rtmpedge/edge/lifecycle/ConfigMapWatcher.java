package io.github.rtmpedge.edge.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when Kubernetes updates the ConfigMap it is mounted from, without a
 * rollout. The kubelet writes a ConfigMap volume atomically: each version in a directory of its
 * own, a symlink {@value #DATA_LINK} to the current one, and each key a symlink through it; an
 * update swaps {@value #DATA_LINK}. So a configuration file whose directory holds
 * {@value #DATA_LINK} is watched: every {@link #INTERVAL} its content is read (through the links)
 * and compared with the last seen, and a change runs the reload that SIGHUP runs. A plain file is
 * not watched (edit it, then SIGHUP or {@code POST /api/v1/reload}). Only the file named by
 * {@code -c} is watched, not the files an SRS file includes. Runs on a daemon thread of its own.
 */
public final class ConfigMapWatcher implements AutoCloseable {

    /** The kubelet's link to the current version of an atomically written volume. */
    public static final String DATA_LINK = "..data";
    /** How often the file is read: a ConfigMap update takes the kubelet up to a minute or so anyway. */
    public static final Duration INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ConfigMapWatcher.class);

    private final Path file;
    private final Runnable reload;
    private byte[] seen;
    private ScheduledExecutorService thread;

    private ConfigMapWatcher(Path file, Runnable reload) {
        this.file = file;
        this.reload = reload;
        this.seen = digest(file).orElse(null);
    }

    /**
     * A watcher of {@code file} if it is in a ConfigMap volume, remembering its content now (call it
     * before the file is loaded, so that a change during start-up is not missed); not started yet.
     */
    public static Optional<ConfigMapWatcher> of(Path file, Runnable reload) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isSymbolicLink(dir.resolve(DATA_LINK))) {
            return Optional.empty();
        }
        return Optional.of(new ConfigMapWatcher(file, reload));
    }

    /** Starts polling. */
    public synchronized ConfigMapWatcher start() {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "config-watch");
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** The file watched. */
    public Path file() {
        return file;
    }

    private void check() {
        try {
            Optional<byte[]> now = digest(file);
            if (now.isEmpty() || Arrays.equals(now.get(), seen)) {
                return; // unreadable for a moment (mid-swap), or unchanged
            }
            seen = now.get();
            log.info("configuration file {} changed (ConfigMap update): reloading", file);
            reload.run();
        } catch (RuntimeException e) {
            log.error("reloading after a ConfigMap update failed", e);
        }
    }

    private static Optional<byte[]> digest(Path file) {
        try {
            return Optional.of(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
