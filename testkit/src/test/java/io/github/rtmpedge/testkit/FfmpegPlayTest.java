package io.github.rtmpedge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Ffmpeg#play} counts as a clean decode, checked on files so the stream position is
 * fixed: a loop wrap of the test media right at the start of playback is clean, a video
 * timestamp that does not increase is not.
 */
class FfmpegPlayTest {

    @TempDir
    Path dir;

    /**
     * A player joining a {@code -stream_loop} publisher one second before the wrap (the case that
     * made PlayEdgeRealPeersTest fail depending on where the looping origin stream was): ffmpeg
     * probes a 49 ms DTS step among the 40 ms ones and guesses 24.83 fps. The timestamps are fine,
     * so the decode must be reported clean.
     */
    @Test
    void aLoopWrapInsideTheProbedPacketsDecodesCleanly() {
        Path twice = dir.resolve("twice.flv");
        Path acrossTheWrap = dir.resolve("across-the-wrap.flv");
        run(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-stream_loop",
                "1",
                "-i",
                TestMedia.small().toString(),
                "-c",
                "copy",
                "-f",
                "flv",
                twice.toString());
        // Starts at the keyframe at 9 s of the first pass; the second pass begins about 1 s later.
        run(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-ss",
                "9.1",
                "-i",
                twice.toString(),
                "-t",
                "7",
                "-c",
                "copy",
                "-f",
                "flv",
                acrossTheWrap.toString());
        assertNotEquals(
                "25/1",
                run(
                                "ffprobe",
                                "-v",
                                "error",
                                "-select_streams",
                                "v",
                                "-show_entries",
                                "stream=r_frame_rate",
                                "-of",
                                "csv=p=0",
                                acrossTheWrap.toString())
                        .trim(),
                "ffmpeg no longer misjudges the frame rate across the wrap; this case proves nothing any more");

        Ffmpeg.PlayResult result =
                new Ffmpeg(dir.resolve("logs")).play(acrossTheWrap.toString(), Duration.ofSeconds(6));

        assertTrue(result.decodedCleanly() && result.frames() >= 6 * TestMedia.SMALL.fps() - 5, result::toString);
    }

    /** A video packet carrying the previous packet's timestamps (a frame delivered twice) still fails the decode. */
    @Test
    void aVideoTimestampThatDoesNotIncreaseIsAnError() {
        Path repeated = dir.resolve("repeated.flv");
        run(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                TestMedia.small().toString(),
                "-c",
                "copy",
                "-bsf:v",
                "setts=pts=if(eq(N\\,60)\\,PREV_OUTPTS\\,PTS):dts=if(eq(N\\,60)\\,PREV_OUTDTS\\,DTS)",
                "-f",
                "flv",
                repeated.toString());

        Ffmpeg.PlayResult result = new Ffmpeg(dir.resolve("logs")).play(repeated.toString(), Duration.ofSeconds(6));

        assertFalse(result.decodedCleanly(), result::toString);
        assertTrue(
                result.errorLines().stream().anyMatch(l -> l.contains("non monotonically increasing dts")),
                result::toString);
    }

    /** Runs an ffmpeg-package program to completion and returns its standard output. */
    private String run(String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Binaries.require(program, "ffmpeg").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(dir.resolve(program + "-stderr.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(program + " did not finish: " + command);
            }
            assertEquals(0, p.exitValue(), () -> program + " failed: " + command);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
