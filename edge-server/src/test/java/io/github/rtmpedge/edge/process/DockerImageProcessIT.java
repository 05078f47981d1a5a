package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image of {@code docker/Dockerfile}, built on a JRE base made offline with debootstrap, run as
 * a container with host networking on free ports: media flows through it, and both {@code docker
 * stop} (the image's {@code STOPSIGNAL SIGQUIT}) and {@code docker kill -s QUIT} make the server,
 * PID 1 in the container, quit gracefully through every phase with a player connected, and exit 0.
 * See docs/architecture.md, "Graceful quit", and docker/README.md.
 *
 * <p>Docker, dockerd and debootstrap must be installed (packages docker.io and debootstrap); a
 * missing one fails the class. {@code -Ddocker.it.skip=true} skips it (the second JDK's pass in
 * {@code .ci/run}, so that the image is not built twice).
 */
class DockerImageProcessIT {

    private static final Path LOGS = DockerHost.LOGS;
    /** The repository root (failsafe runs in the edge-server module directory): the build context. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PLAY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final long ONE_SECOND_OF_FRAMES = 25;
    private static final Pattern PHASE = Pattern.compile("phase (\\w+) \\(after (\\w+) (\\d+) ms\\)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Short waits, and a drain_timeout that closes the player the test keeps connected. */
    private static final String GRACE =
            "grace_start_wait = 1s\ngrace_final_wait = 300ms\ndrain_timeout = 2s\ndrain_spread = 500ms\n";

    private static long classStartNanos;
    private static DockerHost docker;
    private static String image;
    private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Ffmpeg ffmpeg = new Ffmpeg(LOGS);

    @BeforeAll
    static void buildImage() {
        Assumptions.assumeFalse(
                Boolean.getBoolean("docker.it.skip"),
                "-Ddocker.it.skip=true: the Docker image test is skipped (.ci/run runs it on the other JDK's pass)");
        classStartNanos = System.nanoTime();
        TestMedia.small();
        requireBuildContext();
        long start = System.nanoTime();
        docker = DockerHost.startOrReuse();
        TIMINGS.put(
                "daemon ready (" + (docker.ownsDaemon() ? "started, " : "reused, ") + docker.storageDriver() + ")",
                DockerHost.millisSince(start));
        String base = docker.baseImage(TIMINGS);
        image = "rtmp-edge-it:" + UUID.randomUUID().toString().substring(0, 8);
        start = System.nanoTime();
        docker.ok(
                "docker-build",
                Duration.ofMinutes(10),
                "build",
                "--force-rm",
                "-f",
                REPOSITORY.resolve("docker/Dockerfile").toString(),
                "--build-arg",
                "BASE_IMAGE=" + base,
                "-t",
                image,
                REPOSITORY.toString());
        TIMINGS.put("image build (" + image + " on " + base + ")", DockerHost.millisSince(start));
    }

    private static void requireBuildContext() {
        for (String file : List.of(
                "docker/Dockerfile",
                "edge-server/target/edge-server.jar",
                "edge-server/target/classes/native/linux-x86_64/librtmpedge-signals.so",
                "edge-server/target/classes/native/linux-aarch64/librtmpedge-signals.so")) {
            if (!Files.isRegularFile(REPOSITORY.resolve(file))) {
                throw new IllegalStateException(
                        REPOSITORY.resolve(file) + " is missing: the image test runs after `package`");
            }
        }
    }

    @AfterAll
    static void removeImageAndDaemon() {
        if (docker == null) {
            return;
        }
        try {
            if (image != null) {
                docker.run("docker-rmi", Duration.ofMinutes(2), "rmi", "-f", image);
            }
        } finally {
            docker.close();
            TIMINGS.put("DockerImageProcessIT wall time", DockerHost.millisSince(classStartNanos));
            TIMINGS.forEach((what, ms) -> System.out.printf("docker timing: %s: %d ms%n", what, ms));
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * {@code docker stop} sends the image's STOPSIGNAL (SIGQUIT). The container runs as Kubernetes
     * runs it: read-only root file system, a writable /tmp (an emptyDir there).
     */
    @Test
    void dockerStopWithAPlayerConnectedQuitsGracefullyAndExitsZero() {
        long start = System.nanoTime();
        Container edge =
                startContainer("stop", List.of("--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=64m"));
        FfmpegPlayer player = publishAndPlay(edge, "dockerstop");

        ManagedProcess stop = track(docker.start("docker-stop", "stop", "--time", "60", edge.name()));
        Awaitility.await("/readyz answers 503 during grace_start_wait")
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(edge::readyz, status -> status == 503);
        assertDrainsWithThePlayerAndExitsZero(edge, player);
        assertEquals(0, stop.awaitExit(EXIT_TIMEOUT), stop.describe());
        System.out.printf(
                "docker stop with a player: %d ms for the whole test, phases %s%n",
                DockerHost.millisSince(start), phaseDurations(edge.log()));
    }

    /** {@code docker kill -s QUIT}; here without any writable directory: the signal library comes from the image. */
    @Test
    void dockerKillQuitWithAPlayerConnectedQuitsGracefullyAndExitsZero() {
        long start = System.nanoTime();
        Container edge = startContainer("kill-quit", List.of("--read-only"));
        FfmpegPlayer player = publishAndPlay(edge, "dockerkill");

        docker.ok("docker-kill-quit", Duration.ofSeconds(30), "kill", "--signal", "QUIT", edge.name());
        assertDrainsWithThePlayerAndExitsZero(edge, player);
        System.out.printf(
                "docker kill -s QUIT with a player: %d ms for the whole test, phases %s%n",
                DockerHost.millisSince(start), phaseDurations(edge.log()));
    }

    private FfmpegPlayer publishAndPlay(Container edge, String stream) {
        track(ffmpeg.publish(edge.rtmpUrl(stream), TestMedia.small(), true));
        FfmpegPlayer player = track(FfmpegPlayer.start("player-" + stream, edge.rtmpUrl(stream), LOGS));
        player.awaitFramesAbove(0, PLAY_TIMEOUT);
        return player;
    }

    /**
     * The player keeps decoding after the listeners close, drain_timeout then closes it (and the
     * publisher), and the container ends with exit code 0 after every phase.
     */
    private void assertDrainsWithThePlayerAndExitsZero(Container edge, FfmpegPlayer player) {
        edge.logs().awaitOutput(Pattern.compile("phase listeners_closed"), Duration.ofSeconds(10));
        player.awaitFramesAbove(player.frames() + ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        edge.logs().awaitExit(EXIT_TIMEOUT); // docker logs -f ends with the container
        assertEquals(
                "0",
                docker.ok(
                                "docker-inspect",
                                Duration.ofSeconds(30),
                                "inspect",
                                "--format",
                                "{{.State.ExitCode}}",
                                edge.name())
                        .trim(),
                edge.logs().describe());

        List<String> log = edge.log();
        String all = String.join("\n", log);
        assertTrue(all.contains("graceful quit requested by SIGQUIT"), all);
        assertEquals(
                List.of("running", "drain_requested", "listeners_closed", "draining", "final_wait", "stopped"),
                List.copyOf(phaseDurations(log).keySet()),
                all);
        assertTrue(
                Pattern.compile("drain_timeout \\(2000 ms\\) reached: closing the [1-9]\\d* remaining connections")
                        .matcher(all)
                        .find(),
                "the player was still connected when drain_timeout ran out\n" + all);
        assertFalse(all.contains("Full thread dump"), all);
        Awaitility.await("the player is closed by the server")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !player.isAlive());
    }

    /** Phase durations from the log: the phase left ("after X") to its duration in ms, plus "stopped". */
    private static Map<String, Long> phaseDurations(List<String> log) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : log) {
            Matcher m = PHASE.matcher(line);
            if (m.find()) {
                out.put(m.group(2), Long.parseLong(m.group(3)));
                if (m.group(1).equals("stopped")) {
                    out.put("stopped", 0L);
                }
            }
        }
        return out;
    }

    /** A running container of the image and {@code docker logs -f} following it. */
    private record Container(String name, int rtmpPort, int httpPort, ManagedProcess logs) {
        String rtmpUrl(String stream) {
            return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + stream;
        }

        List<String> log() {
            return logs.outputLines();
        }

        int readyz() {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build();
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * {@code docker run -d --network host} with a configuration file mounted over the image's
     * default ({@code /etc/rtmp-edge/edge.conf}), listening on two free ports of 127.0.0.1.
     */
    private Container startContainer(String label, List<String> runOptions) {
        int[] ports = FreePorts.pick(2);
        Path config = writeConfig(
                label,
                "listen = [\"127.0.0.1:" + ports[0] + "\"]\n" + "http_api { enabled = on, listen = \"127.0.0.1:"
                        + ports[1] + "\" }\n" + GRACE);
        String name =
                "rtmp-edge-it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
        args.addAll(runOptions);
        args.addAll(List.of("--volume", config + ":/etc/rtmp-edge/edge.conf:ro", image));
        docker.ok("docker-run-" + label, START_TIMEOUT, args.toArray(String[]::new));
        track(() -> docker.run("docker-rm", Duration.ofMinutes(1), "rm", "--force", name));
        ManagedProcess logs = track(docker.start("container-" + label, "logs", "--follow", name));
        logs.awaitOutput(Pattern.compile("RTMP listening on /127\\.0\\.0\\.1:" + ports[0]), START_TIMEOUT);
        logs.awaitOutput(Pattern.compile("HTTP API listening on /127\\.0\\.0\\.1:" + ports[1]), START_TIMEOUT);
        assertTrue(logs.outputContains(Pattern.compile("signals: native self-pipe for QUIT")), logs.describe());
        return new Container(name, ports[0], ports[1], logs);
    }

    private static Path writeConfig(String label, String content) {
        try {
            Files.createDirectories(LOGS);
            Path file = Files.createTempFile(LOGS.toAbsolutePath(), "edge-" + label + "-", ".conf");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            // The server runs as UID 10001 in the container.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
