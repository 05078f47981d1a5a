package io.github.rtmpedge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffmpeg (libavformat's own RTMP client) as a publisher and a player, and ffprobe as a packet
 * counter. Logs go to the directory given to the constructor.
 */
public final class Ffmpeg {

    /** How long after the requested play time a player may take before it is killed and reported as timed out. */
    public static final Duration PLAY_SLACK = Duration.ofSeconds(20);

    private static final Pattern FRAME = Pattern.compile("frame=\\s*(\\d+)");
    private static final Pattern ERROR = Pattern.compile("\\[(error|fatal|panic)\\]");

    private final Path ffmpeg;
    private final Path logDir;
    private int sequence;

    /** @param logDir where each run's log file goes */
    public Ffmpeg(Path logDir) {
        this.ffmpeg = Binaries.require("ffmpeg", "ffmpeg");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /**
     * The outcome of {@link #play}.
     *
     * @param exitCode ffmpeg's exit code ({@code -1} when it was killed after timing out)
     * @param frames the video frames decoded, from the last {@code frame=} progress report
     * @param errorLines log lines at level error or worse (decode errors, connection failures)
     * @param timedOut ffmpeg had to be killed
     * @param log the full log
     */
    public record PlayResult(int exitCode, long frames, List<String> errorLines, boolean timedOut, Path log) {

        public PlayResult {
            errorLines = List.copyOf(errorLines);
        }

        /** Exit 0, at least one frame decoded, no error lines. */
        public boolean decodedCleanly() {
            return exitCode == 0 && !timedOut && frames > 0 && errorLines.isEmpty();
        }
    }

    /**
     * Publishes {@code flv} to {@code url} in real time ({@code -re}) without re-encoding
     * ({@code -c copy -f flv}); with {@code loop} it repeats forever ({@code -stream_loop -1}).
     * Close the returned process to stop publishing.
     */
    public ManagedProcess publish(String url, Path flv, boolean loop) {
        List<String> command = new ArrayList<>(
                List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "level+warning", "-re"));
        if (loop) {
            command.addAll(List.of("-stream_loop", "-1"));
        }
        command.addAll(List.of("-i", flv.toString(), "-c", "copy", "-f", "flv", url));
        return ManagedProcess.start(nextName("ffmpeg-publish"), logDir, command);
    }

    /**
     * Plays {@code url} (or a file) and decodes its video for {@code duration} of media time
     * ({@code -t}) to {@code -f null -}, then reports what was decoded. Killed if it has not
     * finished {@link #PLAY_SLACK} after {@code duration}.
     *
     * <p>The null muxer still rejects a decoded frame whose timestamp does not increase, but it
     * sees the stream's own millisecond timestamps ({@code -enc_time_base -1}). Without that
     * option ffmpeg rounds every frame to a time base of one tick per frame of the frame rate it
     * guessed while probing ({@code tbr}). When the probed packets span the wrap of a
     * {@code -stream_loop} publisher (the video DTS step there is 49 ms, not 40) it guesses
     * 24.83 fps for a 25 fps stream; each 40 ms frame is then 0.993 of a tick, and about once
     * every 150 frames two frames round to the same tick: "non monotonically increasing dts to
     * muxer ... 34 >= 34", with correct input timestamps.
     */
    public PlayResult play(String url, Duration duration) {
        List<String> command = List.of(
                ffmpeg.toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "level+warning",
                "-stats",
                "-i",
                url,
                "-t",
                seconds(duration),
                "-map",
                "0:v",
                "-enc_time_base",
                "-1",
                "-f",
                "null",
                "-");
        ManagedProcess p = ManagedProcess.start(nextName("ffmpeg-play"), logDir, command);
        try {
            boolean exited = p.waitFor(duration.plus(PLAY_SLACK));
            if (!exited) {
                p.close();
            }
            List<String> lines = p.outputLines();
            long frames = 0;
            List<String> errors = new ArrayList<>();
            for (String line : lines) {
                Matcher m = FRAME.matcher(line);
                if (m.find()) {
                    frames = Long.parseLong(m.group(1));
                }
                if (ERROR.matcher(line).find()) {
                    errors.add(line);
                }
            }
            return new PlayResult(exited ? p.exitCode().orElse(-1) : -1, frames, errors, !exited, p.logFile());
        } finally {
            p.close();
        }
    }

    /** Counts the packets of each media type in {@code file} with {@code ffprobe -count_packets}; {@link PacketCounts#NONE} if it is missing or empty. */
    public static PacketCounts probePackets(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return PacketCounts.NONE;
            }
        } catch (IOException e) {
            return PacketCounts.NONE;
        }
        Path ffprobe = Binaries.require("ffprobe", "ffmpeg");
        try {
            Process p = new ProcessBuilder(
                            ffprobe.toString(),
                            "-v",
                            "error",
                            "-count_packets",
                            "-show_entries",
                            "stream=codec_type,nb_read_packets",
                            "-of",
                            "csv=p=0",
                            file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ffprobe did not finish counting " + file);
            }
            long video = 0;
            long audio = 0;
            for (String line : out.split("\\R")) {
                String[] fields = line.trim().split(",");
                if (fields.length < 2 || !fields[1].matches("\\d+")) {
                    continue;
                }
                if (fields[0].equals("video")) {
                    video += Long.parseLong(fields[1]);
                } else if (fields[0].equals("audio")) {
                    audio += Long.parseLong(fields[1]);
                }
            }
            return new PacketCounts(video, audio);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ffprobe on " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while counting " + file, e);
        }
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    private synchronized String nextName(String kind) {
        return kind + "-" + ++sequence;
    }
}
