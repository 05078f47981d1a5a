package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * GStreamer's own RTMP implementation ({@code rtmp2src}/{@code rtmp2sink} from
 * gstreamer1.0-plugins-bad) driven with {@code gst-launch-1.0}. Logs go to the directory given to the constructor.
 *
 * <p>No H.264 encoder is needed (Debian's {@code x264enc} lives in plugins-ugly, which CI does not
 * install): {@link #publish} re-muxes an existing FLV.
 */
public final class Gstreamer {

    private static final Pattern EOS = Pattern.compile("Got EOS from element");
    private static final Pattern ERROR = Pattern.compile("^ERROR|^WARNING: erroneous pipeline");
    private static volatile boolean elementsChecked;

    private final Path launch;
    private final Path logDir;
    private int sequence;

    /** @param logDir where each run's log file goes */
    public Gstreamer(Path logDir) {
        this.launch = Binaries.require("gst-launch-1.0", "gstreamer1.0-tools");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
        checkElements();
    }

    /**
     * The outcome of {@link #play}.
     *
     * @param exitCode gst-launch's exit code ({@code -1} when killed after timing out)
     * @param reachedEos the pipeline reached end of stream, i.e. the sink accepted all its buffers
     * @param timedOut gst-launch had to be killed
     * @param errorLines {@code ERROR} lines from gst-launch
     * @param log the full log
     */
    public record PlayResult(int exitCode, boolean reachedEos, boolean timedOut, List<String> errorLines, Path log) {

        public PlayResult {
            errorLines = List.copyOf(errorLines);
        }

        /** Exit 0 after EOS with no errors. */
        public boolean succeeded() {
            return exitCode == 0 && reachedEos && !timedOut && errorLines.isEmpty();
        }
    }

    /**
     * Plays {@code url} until {@code buffers} video buffers have reached their sink:
     * {@code rtmp2src location=url ! flvdemux name=d d.video ! queue ! fakesink num-buffers=N
     * d.audio ! queue ! fakesink num-buffers=N}. The audio branch is needed because flvdemux fails
     * with {@code not-linked} when its first (audio) pad goes nowhere; AAC at 44.1 kHz has more
     * buffers a second than the video has frames, so the video sink is the last to reach EOS.
     * A video-only stream never creates the audio pad. An http URL (HTTP-FLV) is read with
     * {@code souphttpsrc} instead of {@code rtmp2src}. Killed after {@code timeout}.
     */
    public PlayResult play(String url, int buffers, Duration timeout) {
        List<String> command = List.of(
                launch.toString(),
                "-e",
                url.startsWith("http") ? "souphttpsrc" : "rtmp2src", // HTTP-FLV, or RTMP
                "location=" + url,
                "!",
                "flvdemux",
                "name=d",
                "d.video",
                "!",
                "queue",
                "!",
                "fakesink",
                "num-buffers=" + buffers,
                "d.audio",
                "!",
                "queue",
                "!",
                "fakesink",
                "num-buffers=" + buffers);
        ManagedProcess p = ManagedProcess.start(nextName("gst-play"), logDir, command);
        try {
            boolean exited = p.waitFor(timeout);
            if (!exited) {
                p.close();
            }
            List<String> errors = new ArrayList<>();
            boolean eos = false;
            for (String line : p.outputLines()) {
                eos |= EOS.matcher(line).find();
                if (ERROR.matcher(line).find()) {
                    errors.add(line);
                }
            }
            return new PlayResult(exited ? p.exitCode().orElse(-1) : -1, eos, !exited, errors, p.logFile());
        } finally {
            p.close();
        }
    }

    /**
     * Publishes {@code flv} to {@code url} in real time (the sink syncs to the clock), re-muxing
     * without re-encoding: {@code filesrc ! flvdemux ! h264parse/aacparse ! flvmux streamable=true ! rtmp2sink}.
     * The process ends after the file; close it to stop earlier.
     */
    public ManagedProcess publish(String url, Path flv) {
        List<String> command = List.of(
                launch.toString(),
                "-e",
                "filesrc",
                "location=" + flv,
                "!",
                "flvdemux",
                "name=d",
                "flvmux",
                "name=m",
                "streamable=true",
                "!",
                "rtmp2sink",
                "location=" + url,
                "d.video",
                "!",
                "queue",
                "!",
                "h264parse",
                "!",
                "m.video",
                "d.audio",
                "!",
                "queue",
                "!",
                "aacparse",
                "!",
                "m.audio");
        return ManagedProcess.start(nextName("gst-publish"), logDir, command);
    }

    private synchronized String nextName(String kind) {
        return kind + "-" + ++sequence;
    }

    private static void checkElements() {
        if (elementsChecked) {
            return;
        }
        Path inspect = Binaries.require("gst-inspect-1.0", "gstreamer1.0-tools");
        String[][] elements = {
            {"rtmp2src", "gstreamer1.0-plugins-bad"}, {"rtmp2sink", "gstreamer1.0-plugins-bad"},
            {"h264parse", "gstreamer1.0-plugins-bad"}, {"flvdemux", "gstreamer1.0-plugins-good"},
            {"flvmux", "gstreamer1.0-plugins-good"}, {"aacparse", "gstreamer1.0-plugins-good"},
        };
        for (String[] element : elements) {
            try {
                Process p = new ProcessBuilder(inspect.toString(), "--exists", element[0])
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("gst-inspect-1.0 --exists " + element[0] + " hung");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(
                            "GStreamer element '" + element[0] + "' is missing: install the Debian package '"
                                    + element[1] + "' (apt-get install --no-install-recommends " + element[1] + ")");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run gst-inspect-1.0", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking GStreamer elements", e);
            }
        }
        elementsChecked = true;
    }
}
