package io.github.rtmpedge.edge.rtmp;

/** How a client's bytes failed to decode after the handshake. */
public enum DecoderError {
    /** Over one of the configured limits (message length, chunk streams, AMF depth...). */
    LIMIT_EXCEEDED,
    /** Not valid RTMP. */
    MALFORMED
}
