package io.github.rtmpedge.edge.process;

import io.github.rtmpedge.testkit.Binaries;
import io.github.rtmpedge.testkit.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real player that does not block the test: {@code ffmpeg -i rtmp://... -map 0:v -f null -}
 * decoding for as long as the stream lasts, its progress read from the {@code frame=} lines that
 * {@code -stats} prints. Testkit's {@code Ffmpeg.play} waits for the end; this one runs alongside.
 */
final class FfmpegPlayer implements AutoCloseable {

    private static final Pattern FRAME = Pattern.compile("frame=\\s*(\\d+)");

    private final ManagedProcess process;
    /** Completes with System.nanoTime() when the process exits. */
    private final CompletableFuture<Long> exitedAtNanos;

    private FfmpegPlayer(ManagedProcess process) {
        this.process = process;
        this.exitedAtNanos = ProcessHandle.of(process.pid())
                .map(h -> h.onExit().thenApply(ignored -> System.nanoTime()))
                .orElseGet(() -> CompletableFuture.completedFuture(System.nanoTime()));
    }

    static FfmpegPlayer start(String name, String url, Path logDir) {
        Path ffmpeg = Binaries.require("ffmpeg", "ffmpeg");
        return new FfmpegPlayer(ManagedProcess.builder(
                        name,
                        List.of(
                                ffmpeg.toString(),
                                "-hide_banner",
                                "-nostdin",
                                "-loglevel",
                                "level+warning",
                                "-stats",
                                "-i",
                                url,
                                "-map",
                                "0:v",
                                "-f",
                                "null",
                                "-"))
                .logDir(logDir)
                .start());
    }

    /** Video frames decoded so far (the last {@code frame=} report), 0 before the first. */
    long frames() {
        List<String> lines = process.outputLines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = FRAME.matcher(lines.get(i));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    /** Waits until more than {@code frames} frames are decoded; returns the count seen. */
    long awaitFramesAbove(long frames, Duration timeout) {
        return Awaitility.await(process.name() + " decodes more than " + frames + " frames")
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(this::frames, n -> n > frames);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** When the process exited (System.nanoTime()), once it has. */
    CompletableFuture<Long> exitedAtNanos() {
        return exitedAtNanos;
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
