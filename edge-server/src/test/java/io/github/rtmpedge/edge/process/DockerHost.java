package io.github.rtmpedge.edge.process;

import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Docker daemon for the image tests, driven with Debian's own client {@code /usr/bin/docker}
 * (package docker.io) and its legacy builder ({@code DOCKER_BUILDKIT=0}): a newer CLI earlier on
 * PATH may lack buildx (docker/README.md, "Build").
 *
 * <p>A daemon that already answers is used as is. Otherwise one is started for the tests with its
 * data root, exec root, pid file and socket in a temporary directory, {@code --bridge=none
 * --iptables=false} (containers run with {@code --network host}), on overlay2 or, when overlay2
 * does not come up, on vfs; {@link #close()} stops it and deletes the directory.
 *
 * <p>{@link #baseImage(Map)} makes the JRE base image offline: {@code debootstrap --variant=minbase}
 * of Debian bookworm with openjdk-17-jre-headless from the mirror apt already uses, tarred once
 * into a cache directory (keyed by the debootstrap inputs) and {@code docker import}ed.
 */
final class DockerHost implements AutoCloseable {

    static final Path LOGS = EdgeProcess.LOGS.resolve("docker");
    static final Path DEBIAN_CLIENT = Path.of("/usr/bin/docker");
    static final String SUITE = "bookworm";
    static final String VARIANT = "minbase";
    static final String INCLUDE = "openjdk-17-jre-headless,ca-certificates";
    static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

    private static final Duration DAEMON_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(15);

    /** What one {@code docker} command printed and returned. */
    record Result(int exitCode, List<String> output, String description) {
        String text() {
            return String.join("\n", output);
        }
    }

    private final Map<String, String> env;
    private final ManagedProcess daemon;
    private final Path daemonDir;
    private final String storageDriver;

    private DockerHost(Map<String, String> env, ManagedProcess daemon, Path daemonDir, String storageDriver) {
        this.env = env;
        this.daemon = daemon;
        this.daemonDir = daemonDir;
        this.storageDriver = storageDriver;
    }

    /**
     * Connects to the daemon that answers, or starts one. A missing program is a broken test
     * machine: the failure names the Debian package ({@code ./test.sh} installs them).
     */
    static DockerHost startOrReuse() {
        requireClient();
        Path dockerd = Binaries.require("dockerd", "docker.io");
        Binaries.require("debootstrap", "debootstrap");
        Map<String, String> inherited = new LinkedHashMap<>();
        inherited.put("DOCKER_BUILDKIT", "0");
        if (answers(inherited)) {
            return new DockerHost(inherited, null, null, "(the running daemon's)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(
                    "no Docker daemon answers and only root can start one (user " + System.getProperty("user.name")
                            + "): run the tests as root, as ./test.sh on CI does, or start dockerd");
        }
        List<String> failures = new ArrayList<>();
        for (String driver : List.of("overlay2", "vfs")) {
            Optional<DockerHost> host = startDaemon(dockerd, driver, failures);
            if (host.isPresent()) {
                return host.get();
            }
        }
        throw new IllegalStateException(
                "dockerd did not start with overlay2 nor with vfs:\n" + String.join("\n", failures));
    }

    private static void requireClient() {
        if (!Files.isExecutable(DEBIAN_CLIENT)) {
            throw new IllegalStateException(
                    DEBIAN_CLIENT + " is missing: install the Debian packages 'docker.io' and"
                            + " 'debootstrap' (apt-get install --no-install-recommends docker.io debootstrap); ./test.sh installs them");
        }
    }

    private static Optional<DockerHost> startDaemon(Path dockerd, String driver, List<String> failures) {
        Path dir = createTempDirectory("rtmp-edge-dockerd-");
        Path socket = dir.resolve("docker.sock");
        ManagedProcess process = ManagedProcess.builder(
                        "dockerd-" + driver,
                        List.of(
                                dockerd.toString(),
                                "--data-root",
                                dir.resolve("data").toString(),
                                "--exec-root",
                                dir.resolve("exec").toString(),
                                "--pidfile",
                                dir.resolve("dockerd.pid").toString(),
                                "--host",
                                "unix://" + socket,
                                "--storage-driver",
                                driver,
                                "--bridge=none",
                                "--iptables=false"))
                .logDir(LOGS)
                .tailLines(1_000)
                .grace(Duration.ofSeconds(30))
                .start();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("DOCKER_BUILDKIT", "0");
        try {
            Awaitility.await("dockerd (" + driver + ") answers or exits")
                    .atMost(DAEMON_START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || answers(env));
        } catch (ConditionTimeoutException e) {
            failures.add("dockerd --storage-driver " + driver + " did not answer within " + DAEMON_START_TIMEOUT);
        }
        if (process.isAlive() && answers(env)) {
            return Optional.of(new DockerHost(env, process, dir, driver));
        }
        failures.add(process.describe());
        process.close();
        deleteRecursively(dir);
        return Optional.empty();
    }

    private static boolean answers(Map<String, String> env) {
        return run(env, "docker-version", Duration.ofSeconds(20), "version", "--format", "{{.Server.Version}}")
                        .exitCode()
                == 0;
    }

    /** Where the daemon keeps its images. */
    String storageDriver() {
        return storageDriver;
    }

    /** True when the daemon was started by these tests (and {@link #close()} stops it). */
    boolean ownsDaemon() {
        return daemon != null;
    }

    /** Runs {@code docker args...} to its end. */
    Result run(String name, Duration timeout, String... args) {
        return run(env, name, timeout, args);
    }

    /** Runs {@code docker args...}, which must exit 0; returns its output. */
    String ok(String name, Duration timeout, String... args) {
        Result result = run(name, timeout, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed with " + result.exitCode() + "\n"
                    + result.description());
        }
        return result.text();
    }

    /** Starts {@code docker args...} without waiting for it (e.g. {@code logs -f}, {@code stop}). */
    ManagedProcess start(String name, String... args) {
        return builder(env, name, args).start();
    }

    private static Result run(Map<String, String> env, String name, Duration timeout, String... args) {
        try (ManagedProcess process = builder(env, name, args).start()) {
            int code = process.awaitExit(timeout);
            return new Result(code, process.outputLines(), process.describe());
        }
    }

    private static ManagedProcess.Builder builder(Map<String, String> env, String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(DEBIAN_CLIENT.toString());
        command.addAll(Arrays.asList(args));
        ManagedProcess.Builder builder =
                ManagedProcess.builder(name, command).logDir(LOGS).tailLines(5_000);
        env.forEach(builder::env);
        return builder;
    }

    boolean imageExists(String reference) {
        return run("docker-image-inspect", COMMAND_TIMEOUT, "image", "inspect", "--format", "{{.Id}}", reference)
                        .exitCode()
                == 0;
    }

    /**
     * The JRE base image {@code local/jre17:<key>}, where the key hashes the debootstrap inputs
     * (suite, variant, packages, mirror). The root file system is made with debootstrap only when
     * the cache holds no tarball for that key; {@code timings} receives how long each step took.
     */
    String baseImage(Map<String, Long> timings) {
        String mirror = System.getProperty("docker.it.mirror", aptMirror());
        String key = sha256(String.join("\n", SUITE, VARIANT, INCLUDE, mirror)).substring(0, 16);
        String tag = "local/jre17:" + key;
        if (imageExists(tag)) {
            timings.put("base image (already in the daemon)", 0L);
            return tag;
        }
        Path cache = cacheDir();
        Path tarball = cache.resolve("jre17-" + SUITE + "-" + key + ".tar");
        if (!Files.isRegularFile(tarball)) {
            long start = System.nanoTime();
            debootstrapInto(tarball, mirror);
            timings.put("base root file system (debootstrap + tar, now cached in " + tarball + ")", millisSince(start));
        } else {
            timings.put("base root file system (cached " + tarball + ")", 0L);
        }
        long start = System.nanoTime();
        ok("docker-import", Duration.ofMinutes(5), "import", tarball.toString(), tag);
        timings.put("docker import of the base", millisSince(start));
        return tag;
    }

    private static void debootstrapInto(Path tarball, String mirror) {
        Path cache = tarball.getParent();
        Path root = createTempDirectory(cache, "rootfs-");
        Path partial = tarball.resolveSibling(
                tarball.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            try (ManagedProcess debootstrap = ManagedProcess.builder(
                            "debootstrap",
                            List.of(
                                    Binaries.require("debootstrap", "debootstrap")
                                            .toString(),
                                    "--variant=" + VARIANT,
                                    "--include=" + INCLUDE,
                                    SUITE,
                                    root.toString(),
                                    mirror))
                    .logDir(LOGS)
                    .start()) {
                int code = debootstrap.awaitExit(DEBOOTSTRAP_TIMEOUT);
                if (code != 0) {
                    throw new AssertionError("debootstrap failed with " + code + " (mirror " + mirror
                            + "; set -Ddocker.it.mirror=URI for another)\n" + debootstrap.describe());
                }
            }
            try (ManagedProcess tar = ManagedProcess.start(
                    "tar-rootfs", LOGS, "tar", "-C", root.toString(), "-cf", partial.toString(), ".")) {
                int code = tar.awaitExit(Duration.ofMinutes(5));
                if (code != 0) {
                    throw new AssertionError(
                            "tar of the base root file system failed with " + code + "\n" + tar.describe());
                }
            }
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            unmountUnder(root); // /proc and /sys when debootstrap stopped half-way
            deleteRecursively(root);
            deleteRecursively(partial);
        }
    }

    /**
     * {@code -Ddocker.it.cache=DIR}, else {@code /var/cache/rtmp-edge-test} when it can be made
     * writable, else {@code java.io.tmpdir/rtmp-edge-test}.
     */
    static Path cacheDir() {
        String configured = System.getProperty("docker.it.cache");
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(
                        Path.of("/var/cache/rtmp-edge-test"),
                        Path.of(System.getProperty("java.io.tmpdir"), "rtmp-edge-test"));
        for (Path dir : candidates) {
            try {
                Files.createDirectories(dir);
                if (Files.isWritable(dir)) {
                    return dir;
                }
            } catch (IOException e) {
                // try the next candidate
            }
        }
        throw new IllegalStateException("no writable cache directory among " + candidates);
    }

    /** The URI of the first apt source that carries {@value #SUITE} itself (not -updates or -security). */
    static String aptMirror() {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("/etc/apt/sources.list"));
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> listing = Files.list(dir)) {
                listing.sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Optional<String> uri =
                    mirrorIn(readLines(file), file.getFileName().toString().endsWith(".sources"));
            if (uri.isPresent()) {
                return uri.get();
            }
        }
        return DEFAULT_MIRROR;
    }

    /** One-line ({@code deb [opts] URI suite comps}) or deb822 ({@code URIs:}/{@code Suites:} stanzas) format. */
    static Optional<String> mirrorIn(List<String> lines, boolean deb822) {
        if (!deb822) {
            for (String line : lines) {
                String[] words = line.replaceAll("\\[[^]]*]", " ").trim().split("\\s+");
                if (words.length >= 3 && words[0].equals("deb") && words[2].equals(SUITE)) {
                    return Optional.of(words[1]);
                }
            }
            return Optional.empty();
        }
        String uris = null;
        String suites = null;
        List<String> padded = new ArrayList<>(lines);
        padded.add("");
        for (String line : padded) {
            if (line.isBlank()) {
                if (uris != null
                        && suites != null
                        && List.of(suites.trim().split("\\s+")).contains(SUITE)) {
                    return Optional.of(uris.trim().split("\\s+")[0]);
                }
                uris = null;
                suites = null;
            } else if (line.startsWith("URIs:")) {
                uris = line.substring("URIs:".length());
            } else if (line.startsWith("Suites:")) {
                suites = line.substring("Suites:".length());
            }
        }
        return Optional.empty();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static Path createTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTempDirectory(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code rm -rf} (root file systems hold device nodes and read-only directories). */
    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (ManagedProcess rm =
                ManagedProcess.start("rm-rf", LOGS, "rm", "-rf", "--one-file-system", path.toString())) {
            rm.awaitExit(Duration.ofMinutes(2));
        }
    }

    /**
     * Stops the daemon the tests started (SIGTERM; it stops its containers), unmounts what it left
     * mounted in its directory (dockerd keeps {@code exec-root/netns/default} bind-mounted) and
     * deletes the directory.
     */
    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
            unmountUnder(daemonDir);
            deleteRecursively(daemonDir);
        }
    }

    /** {@code umount --lazy} every mount point under {@code dir}, deepest first ({@code /proc/self/mounts}). */
    private static void unmountUnder(Path dir) {
        List<String> mountPoints = new ArrayList<>();
        String prefix = dir.toAbsolutePath() + "/";
        for (String line : readLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].startsWith(prefix)) {
                mountPoints.add(0, fields[1]);
            }
        }
        for (String mountPoint : mountPoints) {
            try (ManagedProcess umount = ManagedProcess.start("umount", LOGS, "umount", "--lazy", mountPoint)) {
                umount.awaitExit(Duration.ofSeconds(30));
            }
        }
    }
}
