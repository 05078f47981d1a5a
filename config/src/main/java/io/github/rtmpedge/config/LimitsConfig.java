package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Hostile-input limits of the RTMP decoder ({@code limits}); sizes in bytes.
 *
 * @param maxMessageLength largest RTMP message accepted, 1..16777215
 * @param maxPartialBytes bytes held across all partial messages of one connection, >= maxMessageLength
 * @param maxChunkStreams chunk streams one connection may use at once, 1..65598
 * @param amfMaxDepth deepest AMF nesting
 * @param amfMaxStringLength longest AMF string
 * @param amfMaxElements most elements in one AMF value
 * @param minChunkSize smallest Set Chunk Size accepted from a peer, 1..65536
 * @param maxCommandsPerSecond sustained command messages per second one connection may send; 0 = no limit
 * @param commandBurst command messages one connection may send at once above the sustained rate
 * @param publishLeadWarn a publisher whose media time runs this far ahead of the wall clock is logged and counted
 * @param publishLeadMax a publisher this far ahead is disconnected; zero = never
 * @param ackWarnWindows a player this many acknowledgement windows behind in its acknowledgements is logged
 *     and counted; 0 = off
 * @param ackMaxWindows a player this many windows behind is disconnected; 0 = never
 */
public record LimitsConfig(
        long maxMessageLength,
        long maxPartialBytes,
        int maxChunkStreams,
        int amfMaxDepth,
        long amfMaxStringLength,
        int amfMaxElements,
        int minChunkSize,
        int maxCommandsPerSecond,
        int commandBurst,
        Duration publishLeadWarn,
        Duration publishLeadMax,
        int ackWarnWindows,
        int ackMaxWindows) {

    public LimitsConfig {
        Objects.requireNonNull(publishLeadWarn, "publishLeadWarn");
        Objects.requireNonNull(publishLeadMax, "publishLeadMax");
    }
}
