package io.github.rtmpedge.rtmp;

import io.netty.handler.codec.DecoderException;

/**
 * The peer sent bytes that are not valid RTMP. Every error the codec raises on input is one of
 * these (or a subclass), so a server can tell a protocol violation from a bug.
 */
public class RtmpCodecException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public RtmpCodecException(String message) {
        super(message);
    }

    public RtmpCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
