package io.github.rtmpedge.edge.rtmp;

/**
 * What an RTMP session needs from the configuration.
 *
 * @param chunkSize         our outbound chunk size, announced right after connect
 * @param queueLengthMillis a player's backlog bound in media time
 * @param queueMaxBytes     a player's backlog bound in bytes
 * @param windowAckSize     the acknowledgement window and peer bandwidth we announce
 */
public record SessionSettings(int chunkSize, long queueLengthMillis, long queueMaxBytes, long windowAckSize) {
}
