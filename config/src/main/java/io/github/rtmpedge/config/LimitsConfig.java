package io.github.rtmpedge.config;

/**
 * Hostile-input limits of the RTMP decoder ({@code limits}); sizes in bytes.
 *
 * @param maxMessageLength largest RTMP message accepted, 1..16777215
 * @param maxPartialBytes bytes held across all partial messages of one connection, >= maxMessageLength
 * @param maxChunkStreams chunk streams one connection may use at once, 1..65598
 * @param amfMaxDepth deepest AMF nesting
 * @param amfMaxStringLength longest AMF string
 * @param amfMaxElements most elements in one AMF value
 */
public record LimitsConfig(
        long maxMessageLength,
        long maxPartialBytes,
        int maxChunkStreams,
        int amfMaxDepth,
        long amfMaxStringLength,
        int amfMaxElements) {
}
