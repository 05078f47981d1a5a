package io.github.rtmpedge.rtmp.flv;

/**
 * FOURCC codec identifiers of Enhanced RTMP (veovera enhanced-rtmp v2, "Simple Data Types": four
 * ASCII characters read as a big-endian UI32).
 */
public final class FourCc {

    /** H.264 (E-RTMP VideoFourCc.Avc). */
    public static final int AVC1 = of("avc1");
    /** H.265 (VideoFourCc.Hevc). */
    public static final int HVC1 = of("hvc1");
    /** AV1 (VideoFourCc.Av1). */
    public static final int AV01 = of("av01");
    /** VP9 (VideoFourCc.Vp9). */
    public static final int VP09 = of("vp09");
    /** VP8 (VideoFourCc.Vp8). */
    public static final int VP08 = of("vp08");
    /** H.266 (VideoFourCc.Vvc). */
    public static final int VVC1 = of("vvc1");

    /** Opus (AudioFourCc.Opus). */
    public static final int OPUS = of("Opus");
    /** FLAC (AudioFourCc.Flac). */
    public static final int FLAC = of("fLaC");
    /** AC-3 (AudioFourCc.Ac3). */
    public static final int AC3 = of("ac-3");
    /** E-AC-3 (AudioFourCc.Eac3). */
    public static final int EAC3 = of("ec-3");
    /** AAC (AudioFourCc.Aac). */
    public static final int MP4A = of("mp4a");
    /** MP3 (AudioFourCc.Mp3). */
    public static final int MP3 = of(".mp3");

    private FourCc() {}

    /** The UI32 value of a four-character ASCII code. */
    public static int of(String code) {
        if (code.length() != 4) {
            throw new IllegalArgumentException("a FOURCC has 4 characters: \"" + code + "\"");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = code.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("a FOURCC is ASCII: \"" + code + "\"");
            }
            value = (value << 8) | c;
        }
        return value;
    }

    /** The four characters of {@code value}; bytes outside printable ASCII are shown as {@code \xNN}. */
    public static String toString(int value) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = (value >>> shift) & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }
}
