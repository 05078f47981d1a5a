package io.github.rtmpedge.rtmp.chunk;

/**
 * User event fired by {@link ChunkDecoder} when the bytes received since the last one reach the
 * window the peer announced with Window Acknowledgement Size (RTMP spec 5.4.4): the session should
 * now send an Acknowledgement (5.4.3) carrying {@code sequenceNumber}.
 *
 * @param sequenceNumber bytes received so far on this connection by the chunk layer, modulo 2^32
 */
public record AcknowledgementDue(long sequenceNumber) {}
