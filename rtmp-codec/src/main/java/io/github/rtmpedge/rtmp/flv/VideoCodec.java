package io.github.rtmpedge.rtmp.flv;

/**
 * The video codec of an RTMP video message, signalled either by the legacy 4-bit CodecID (FLV spec
 * v10.1 E.4.3.1, VideoTagHeader) or by an Enhanced RTMP FOURCC (enhanced-rtmp v2, ExVideoTagHeader).
 * Codecs we do not know are {@link #UNKNOWN}; an edge forwards them untouched.
 */
public enum VideoCodec {
    /** CodecID 2. */
    SORENSON_H263(2, 0),
    /** CodecID 3. */
    SCREEN_VIDEO(3, 0),
    /** CodecID 4. */
    ON2_VP6(4, 0),
    /** CodecID 5: VP6 with alpha channel. */
    ON2_VP6_ALPHA(5, 0),
    /** CodecID 6. */
    SCREEN_VIDEO_V2(6, 0),
    /** CodecID 7, or FOURCC {@code avc1}. */
    AVC(7, FourCc.AVC1),
    /**
     * FOURCC {@code hvc1}, or the non-standard CodecID 12 that SRS, ffmpeg forks and Chinese CDNs use
     * for HEVC with the AVC packet layout (packet type + composition time).
     */
    HEVC(12, FourCc.HVC1),
    /**
     * FOURCC {@code av01}, or CodecID 13, which some forks (not the E-RTMP spec, where 8-15 are
     * reserved) use for AV1 with the AVC packet layout.
     */
    AV1(13, FourCc.AV01),
    /** FOURCC {@code vp09}; no legacy id. */
    VP9(-1, FourCc.VP09),
    /** FOURCC {@code vp08}; no legacy id. */
    VP8(-1, FourCc.VP08),
    /** FOURCC {@code vvc1}; no legacy id. */
    VVC(-1, FourCc.VVC1),
    /** A reserved CodecID, an unknown FOURCC, or no codec signalled at all (command frame, empty payload). */
    UNKNOWN(-1, 0);

    private static final VideoCodec[] BY_LEGACY_ID = new VideoCodec[16];

    static {
        java.util.Arrays.fill(BY_LEGACY_ID, UNKNOWN);
        for (VideoCodec codec : values()) {
            if (codec.legacyId >= 0) {
                BY_LEGACY_ID[codec.legacyId] = codec;
            }
        }
    }

    private final int legacyId;
    private final int fourCc;

    VideoCodec(int legacyId, int fourCc) {
        this.legacyId = legacyId;
        this.fourCc = fourCc;
    }

    /** The legacy CodecID, or -1 if the codec has none. */
    public int legacyId() {
        return legacyId;
    }

    /** The E-RTMP FOURCC, or 0 if the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    /**
     * Whether a legacy tag of this codec carries the AVC-style header: AVCPacketType then
     * CompositionTime (FLV spec E.4.3.1; the same layout is used by the HEVC/AV1 extensions).
     */
    boolean hasLegacyPacketType() {
        return this == AVC || this == HEVC || this == AV1;
    }

    /** The codec for a legacy 4-bit CodecID; {@link #UNKNOWN} for reserved values. */
    public static VideoCodec ofLegacyId(int codecId) {
        return codecId >= 0 && codecId < 16 ? BY_LEGACY_ID[codecId] : UNKNOWN;
    }

    /** The codec for an E-RTMP FOURCC; {@link #UNKNOWN} for any FOURCC not listed here. */
    public static VideoCodec ofFourCc(int fourCc) {
        if (fourCc == FourCc.AVC1) {
            return AVC;
        } else if (fourCc == FourCc.HVC1) {
            return HEVC;
        } else if (fourCc == FourCc.AV01) {
            return AV1;
        } else if (fourCc == FourCc.VP09) {
            return VP9;
        } else if (fourCc == FourCc.VP08) {
            return VP8;
        } else if (fourCc == FourCc.VVC1) {
            return VVC;
        }
        return UNKNOWN;
    }
}
