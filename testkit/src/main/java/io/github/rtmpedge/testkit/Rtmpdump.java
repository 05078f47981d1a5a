package io.github.rtmpedge.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** rtmpdump (librtmp's client) as a live player recording to an FLV file. Logs go to the directory given to the constructor. */
public final class Rtmpdump {

    private final Path rtmpdump;
    private final Path logDir;
    private int sequence;

    /** @param logDir where each run's log file goes */
    public Rtmpdump(Path logDir) {
        this.rtmpdump = Binaries.require("rtmpdump", "rtmpdump");
        Binaries.require("ffprobe", "ffmpeg");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /**
     * The outcome of {@link #play}.
     *
     * @param file the recording
     * @param exitCode rtmpdump's exit code (0 complete, 1 failed, 2 incomplete: the usual result of being interrupted)
     * @param stoppedByUs rtmpdump was still running after the requested time and was sent SIGINT
     * @param packets packets in the recording, counted by ffprobe
     * @param log the full log
     */
    public record RecordResult(Path file, int exitCode, boolean stoppedByUs, PacketCounts packets, Path log) {}

    /**
     * Starts {@code rtmpdump -v -r url -o out} ({@code -v}: live), lets it record for
     * {@code duration} (less if the stream ends), stops it with SIGINT so it finishes the file,
     * then counts the packets in {@code out}.
     */
    public RecordResult play(String url, Path out, Duration duration) {
        String name;
        synchronized (this) {
            name = "rtmpdump-" + ++sequence;
        }
        try (ManagedProcess p = ManagedProcess.start(
                name, logDir, List.of(rtmpdump.toString(), "-v", "-r", url, "-o", out.toString()))) {
            boolean stopped = false;
            if (!p.waitFor(duration)) {
                stopped = true;
                p.signal("INT");
            }
            int rc = p.awaitExit(Duration.ofSeconds(10));
            return new RecordResult(out, rc, stopped, Ffmpeg.probePackets(out), p.logFile());
        }
    }
}
