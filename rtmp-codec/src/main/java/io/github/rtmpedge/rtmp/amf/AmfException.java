package io.github.rtmpedge.rtmp.amf;

import io.github.rtmpedge.rtmp.RtmpCodecException;

/** Malformed or truncated AMF input; the message names the marker and the offset. */
public final class AmfException extends RtmpCodecException {

    private static final long serialVersionUID = 1L;

    public AmfException(String message) {
        super(message);
    }
}
