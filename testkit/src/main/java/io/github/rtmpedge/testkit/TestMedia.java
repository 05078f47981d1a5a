package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * H.264/AAC FLV files made by ffmpeg from its lavfi sources ({@code testsrc2} picture,
 * {@code sine} 440 Hz tone), generated once and cached.
 *
 * <p>The cache directory is {@code -Drtmpedge.testMedia.dir=...} if set, else
 * {@code ${java.io.tmpdir}/rtmp-edge-test-media}, shared by every module's tests in a build. Files
 * are named after their parameters, so a changed {@link Spec} makes a new file. Generation is safe
 * across threads and processes: each writer encodes to its own temporary file and atomically moves
 * it into place; a reader only ever sees a complete file.
 */
public final class TestMedia {

    /** The parameters of one file. Keyframes come exactly every {@code keyframeSeconds} ({@code -sc_threshold 0}). */
    public record Spec(int width, int height, int fps, int keyframeSeconds, int seconds, int videoKbps, int audioKbps) {

        /** The cache file name, e.g. {@code testsrc2-320x240-25fps-k1s-10s-v300k-a64k.flv}. */
        public String fileName() {
            return "testsrc2-" + width + "x" + height + "-" + fps + "fps-k" + keyframeSeconds + "s-" + seconds + "s-v"
                    + videoKbps + "k-a" + audioKbps + "k.flv";
        }
    }

    /** Small and fast for interop tests: 320x240, 25 fps, a keyframe every second, 10 s, ~300 kbps video, 64 kbps AAC. */
    public static final Spec SMALL = new Spec(320, 240, 25, 1, 10, 300, 64);

    /** The benchmark file: 1280x720, 30 fps, a keyframe every 2 s, 30 s, 2 Mbps video, 128 kbps AAC (~15 s to make on 2 cores). */
    public static final Spec BENCHMARK_720P = new Spec(1280, 720, 30, 2, 30, 2000, 128);

    private static final Map<Spec, Object> LOCKS = new ConcurrentHashMap<>();

    private TestMedia() {}

    /** The {@link #SMALL} file. */
    public static Path small() {
        return get(SMALL);
    }

    /** The {@link #BENCHMARK_720P} file. */
    public static Path benchmark720p() {
        return get(BENCHMARK_720P);
    }

    /** Where files are cached. */
    public static Path cacheDir() {
        String configured = System.getProperty("rtmpedge.testMedia.dir");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "rtmp-edge-test-media");
    }

    /** The file for {@code spec}, generated with ffmpeg if not cached yet. */
    public static Path get(Spec spec) {
        Path target = cacheDir().resolve(spec.fileName());
        if (isComplete(target)) {
            return target;
        }
        synchronized (LOCKS.computeIfAbsent(spec, s -> new Object())) {
            if (!isComplete(target)) {
                generate(spec, target);
            }
        }
        return target;
    }

    private static boolean isComplete(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void generate(Spec spec, Path target) {
        Path ffmpeg = Binaries.require("ffmpeg", "ffmpeg");
        Path dir = target.getParent();
        Path part;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, spec.fileName() + ".", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in " + dir, e);
        }
        int gop = spec.fps() * spec.keyframeSeconds();
        List<String> command = List.of(
                ffmpeg.toString(),
                "-hide_banner",
                "-nostdin",
                "-y",
                "-loglevel",
                "warning",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + spec.width() + "x" + spec.height() + ":rate=" + spec.fps(),
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=44100",
                "-t",
                Integer.toString(spec.seconds()),
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-b:v",
                spec.videoKbps() + "k",
                "-maxrate",
                spec.videoKbps() + "k",
                "-bufsize",
                spec.videoKbps() + "k",
                "-g",
                Integer.toString(gop),
                "-keyint_min",
                Integer.toString(gop),
                "-sc_threshold",
                "0",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                spec.audioKbps() + "k",
                "-f",
                "flv",
                part.toString());
        try (ManagedProcess p = ManagedProcess.start("ffmpeg-make-" + spec.fileName(), dir.resolve("logs"), command)) {
            int rc = p.awaitExit(Duration.ofSeconds(60L + 4L * spec.seconds()));
            if (rc != 0 || !isComplete(part)) {
                throw new AssertionError("ffmpeg could not make " + target + " (exit " + rc + ")\n" + p.describe());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + part + " to " + target, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // A stray .part file is harmless: it never matches a cache name.
            }
        }
    }
}
