package io.github.rtmpedge.rtmp.handshake;

import io.github.rtmpedge.rtmp.RtmpCodecException;

/**
 * The RTMP handshake failed: the peer sent an unsupported version byte, sent a digest that does not
 * verify, closed the connection in the middle, or did not finish in time. The message names the
 * handshake state the failure happened in.
 */
public final class HandshakeException extends RtmpCodecException {

    public HandshakeException(String message) {
        super(message);
    }
}
