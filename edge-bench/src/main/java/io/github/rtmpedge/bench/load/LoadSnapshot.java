package io.github.rtmpedge.bench.load;

import java.util.Locale;

/**
 * What a run looks like at one moment. Rates (Mbps, CPU cores) are over the interval since the
 * previous per-second snapshot, or over the whole run for the final one.
 *
 * @param seconds           since the players started ramping
 * @param players           players configured
 * @param playersConnected  players whose current connection got NetStream.Play.Start
 * @param playersFed        players whose video timeline covers ≥ 95% of the wall clock since their first keyframe
 * @param publishersLive    publishers sending
 * @param publishers        publishers configured
 * @param publishersRealTime publishers whose media timeline covers ≥ 95% of the wall clock since they first started
 * @param sentMediaMbps     audio, video and script payload written by all publishers
 * @param mediaMbps         audio and video payload received by all players
 * @param receivedMbps      every byte received
 * @param firstKeyframeP50Ms median, over connections, of connect start to first video keyframe (-1: none)
 * @param firstKeyframeP99Ms 99th percentile of the same
 * @param firstKeyframes    connections that got a keyframe
 * @param maxGapMs          largest time any player went without media, reconnects included
 * @param attempts          connection attempts (first connects and reconnects)
 * @param reconnects        reconnects scheduled after a connection closed
 * @param failedConnects    attempts that failed (TCP connect error, or closed before the stream started)
 * @param cpuCores          this process's CPU time per wall-clock second
 * @param cpuSeconds        this process's CPU time since the client started
 */
public record LoadSnapshot(
        double seconds,
        int players,
        int playersConnected,
        int playersFed,
        int publishersLive,
        int publishers,
        int publishersRealTime,
        double sentMediaMbps,
        double mediaMbps,
        double receivedMbps,
        double firstKeyframeP50Ms,
        double firstKeyframeP99Ms,
        long firstKeyframes,
        double maxGapMs,
        long attempts,
        long reconnects,
        long failedConnects,
        double cpuCores,
        double cpuSeconds) {

    /** One human-readable line. */
    public String toLine() {
        return String.format(
                Locale.ROOT,
                "t=%6.1fs connected=%d/%d fed95=%d publishers=%d/%d realtime95=%d sent=%.2fMbps media=%.2fMbps rx=%.2fMbps"
                        + " ttfk p50=%.0fms p99=%.0fms maxGap=%.0fms attempts=%d reconnects=%d failed=%d cpu=%.2f cores",
                seconds,
                playersConnected,
                players,
                playersFed,
                publishersLive,
                publishers,
                publishersRealTime,
                sentMediaMbps,
                mediaMbps,
                receivedMbps,
                firstKeyframeP50Ms,
                firstKeyframeP99Ms,
                maxGapMs,
                attempts,
                reconnects,
                failedConnects,
                cpuCores);
    }

    /** The same as a JSON object, for scripts. */
    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"seconds\":%.3f,\"players\":%d,\"playersConnected\":%d,\"playersFed\":%d,"
                        + "\"publishersLive\":%d,\"publishers\":%d,\"publishersRealTime\":%d,\"sentMediaMbps\":%.3f,"
                        + "\"mediaMbps\":%.3f,\"receivedMbps\":%.3f,\"firstKeyframeP50Ms\":%.1f,"
                        + "\"firstKeyframeP99Ms\":%.1f,\"firstKeyframes\":%d,\"maxGapMs\":%.1f,\"attempts\":%d,"
                        + "\"reconnects\":%d,\"failedConnects\":%d,\"cpuCores\":%.3f,\"cpuSeconds\":%.3f}",
                seconds,
                players,
                playersConnected,
                playersFed,
                publishersLive,
                publishers,
                publishersRealTime,
                sentMediaMbps,
                mediaMbps,
                receivedMbps,
                firstKeyframeP50Ms,
                firstKeyframeP99Ms,
                firstKeyframes,
                maxGapMs,
                attempts,
                reconnects,
                failedConnects,
                cpuCores,
                cpuSeconds);
    }
}
