package io.github.rtmpedge.rtmp.amf;

import io.github.rtmpedge.rtmp.RtmpCodecException;

/** Malformed or truncated AMF input; the message names the marker and the offset. */
public final class AmfException extends RtmpCodecException {

    public AmfException(String message) {
        super(message);
    }
}
