package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where SIGQUIT cannot be handled (the signal library disabled, or present but not loadable, as on
 * a platform we do not build it for), the real server says so at start-up as an ERROR naming the
 * fallback, and SIGTERM is then a graceful quit through every phase, with a player connected,
 * ending in exit 0 (docs/architecture.md, "Graceful quit").
 */
class SignalFallbackProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern FALLBACK_ERROR =
            Pattern.compile("ERROR .* SIGQUIT cannot be handled \\((.*)\\); fallback: SIGTERM is the graceful quit");
    private static final String GRACE = "grace_start_wait = 1s\ngrace_final_wait = 200ms\nforce_grace_quit = off\n";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

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

    @Test
    void disabledLibrary() {
        String reason = sigtermIsGracefulWith("fallback-disabled", "-Drtmpedge.signals.native=false");

        assertEquals("native library disabled by -Drtmpedge.signals.native=false", reason);
    }

    @Test
    void unloadableLibrary() throws IOException {
        // A file that is no shared object: System.load fails as it does for another platform's library.
        Path notALibrary = EdgeProcess.LOGS.resolve("not-a-library.so");
        Files.createDirectories(EdgeProcess.LOGS);
        Files.writeString(notALibrary, "not an ELF file\n");

        String reason = sigtermIsGracefulWith(
                "fallback-unloadable", "-Drtmpedge.signals.library=" + notALibrary.toAbsolutePath());

        assertTrue(reason.startsWith("cannot load the native library: java.lang.UnsatisfiedLinkError"), reason);
    }

    /** Starts the server with {@code option}, checks the ERROR line and a graceful SIGTERM; returns the reason. */
    private String sigtermIsGracefulWith(String name, String option) {
        EdgeProcess edge = track(EdgeProcess.startWithOptions(name, List.of(option), GRACE));
        String error = edge.awaitLog(FALLBACK_ERROR, WAIT);
        Ffmpeg ffmpeg = new Ffmpeg(EdgeProcess.LOGS);
        ManagedProcess publisher = track(ffmpeg.publish(edge.rtmpUrl("fb"), TestMedia.small(), true));
        FfmpegPlayer player = track(FfmpegPlayer.start(name + "-player", edge.rtmpUrl("fb"), EdgeProcess.LOGS));
        player.awaitFramesAbove(0, WAIT);

        edge.signal("TERM");

        Awaitility.await("/readyz answers 503 after SIGTERM")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(edge::readyz, status -> status == 503);
        edge.awaitLog(Pattern.compile("phase draining"), WAIT);
        player.awaitFramesAbove(player.frames() + 25, WAIT); // a second more of video while draining
        assertTrue(edge.isAlive(), "still draining while the player plays");
        publisher.close();
        player.close();
        assertEquals(0, edge.awaitExit(WAIT), edge::describe);
        assertTrue(edge.logContains("graceful quit requested by SIGTERM (SIGQUIT cannot be handled)"), edge.describe());
        for (String phase : List.of("drain_requested", "listeners_closed", "draining", "final_wait", "stopped")) {
            assertTrue(edge.logContains("phase " + phase), () -> phase + "\n" + edge.describe());
        }
        Matcher m = FALLBACK_ERROR.matcher(error);
        assertTrue(m.find(), error);
        return m.group(1);
    }
}
