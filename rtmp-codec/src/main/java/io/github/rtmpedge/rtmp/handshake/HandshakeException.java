package io.github.rtmpedge.rtmp.handshake;

import io.github.rtmpedge.rtmp.RtmpCodecException;

/**
 * The RTMP handshake failed: the peer sent an unsupported version byte, sent a digest that does not
 * verify, closed the connection in the middle, or did not finish in time. The message names the
 * handshake state the failure happened in; {@link #kind()} says which of these it was.
 */
public final class HandshakeException extends RtmpCodecException {

    private static final long serialVersionUID = 1L;

    /** How a handshake failed. */
    public enum Kind {
        /** Not finished within the handshake timeout. */
        TIMEOUT,
        /** The peer closed the connection before finishing. */
        PEER_CLOSED,
        /** The peer sent something a handshake does not allow (or our packet could not be sent). */
        INVALID
    }

    private final Kind kind;

    public HandshakeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
