package io.github.rtmpedge.rtmp.flv;

/**
 * The FLV file header (FLV spec v10.1, E.2): "FLV", Version UI8, TypeFlags (bit 2 audio, bit 0
 * video), DataOffset UI32 (9 for version 1). PreviousTagSize0 (UI32, always 0) follows it.
 *
 * @param version  the Version byte (1)
 * @param hasAudio TypeFlagsAudio
 * @param hasVideo TypeFlagsVideo
 */
public record FlvHeader(int version, boolean hasAudio, boolean hasVideo) {

    /** Signature, version, flags and DataOffset. */
    public static final int SIZE = 9;

    public FlvHeader {
        if (version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("FLV version is a UI8: " + version);
        }
    }
}
