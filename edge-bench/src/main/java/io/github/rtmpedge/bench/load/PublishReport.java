package io.github.rtmpedge.bench.load;

import java.util.Locale;

/**
 * What one publisher sent.
 *
 * @param stream         its stream name
 * @param messages       audio, video and script messages written
 * @param bytes          their payload bytes
 * @param timelineMillis media time sent, summed over its connections
 * @param wallMillis     wall-clock time since its first connection started publishing (0: never started)
 */
record PublishReport(String stream, long messages, long bytes, long timelineMillis, long wallMillis) {

    /** Slack for the frame that is due but not written yet (one frame at 10 fps). */
    static final long IN_FLIGHT_MILLIS = 100;

    /** It started, and its timeline covers at least 95% of the wall clock since, allowing {@link #IN_FLIGHT_MILLIS}. */
    boolean keptRealTime() {
        return wallMillis > 0 && timelineMillis + IN_FLIGHT_MILLIS >= 0.95 * wallMillis;
    }

    /** Media time sent per wall-clock time, in percent (0 before the start). */
    double realTimePercent() {
        return wallMillis > 0 ? 100.0 * timelineMillis / wallMillis : 0;
    }

    /** {@code STREAM name=... messages=... bytes=... timeline=...s wall=...s realtime=...% kept=yes}: one line for scripts. */
    String toLine() {
        return String.format(
                Locale.ROOT,
                "STREAM name=%s messages=%d bytes=%d timeline=%.1fs wall=%.1fs realtime=%.1f%% kept=%s",
                stream,
                messages,
                bytes,
                timelineMillis / 1e3,
                wallMillis / 1e3,
                realTimePercent(),
                keptRealTime() ? "yes" : "no");
    }
}
