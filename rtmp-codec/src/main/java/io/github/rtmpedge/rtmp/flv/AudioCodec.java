package io.github.rtmpedge.rtmp.flv;

/**
 * The audio codec of an RTMP audio message, signalled either by the legacy 4-bit SoundFormat (FLV
 * spec v10.1 E.4.2.1, AudioTagHeader) or, when SoundFormat is 9 (ExHeader), by an Enhanced RTMP
 * FOURCC (enhanced-rtmp v2, ExAudioTagHeader). Unknown codecs are {@link #UNKNOWN}.
 *
 * <p>SoundFormat 12 and 13 are reserved; some players (e.g. xgplayer) read 13 as Opus, which is
 * not part of any spec, so it is reported as {@link #UNKNOWN} here.
 */
public enum AudioCodec {
    /** SoundFormat 0. */
    LINEAR_PCM_PLATFORM_ENDIAN(0, 0),
    /** SoundFormat 1. */
    ADPCM(1, 0),
    /** SoundFormat 2, or FOURCC {@code .mp3}. */
    MP3(2, FourCc.MP3),
    /** SoundFormat 3. */
    LINEAR_PCM_LITTLE_ENDIAN(3, 0),
    /** SoundFormat 4. */
    NELLYMOSER_16KHZ_MONO(4, 0),
    /** SoundFormat 5. */
    NELLYMOSER_8KHZ_MONO(5, 0),
    /** SoundFormat 6. */
    NELLYMOSER(6, 0),
    /** SoundFormat 7. */
    G711_A_LAW(7, 0),
    /** SoundFormat 8. */
    G711_MU_LAW(8, 0),
    /** SoundFormat 10, or FOURCC {@code mp4a}. */
    AAC(10, FourCc.MP4A),
    /** SoundFormat 11. */
    SPEEX(11, 0),
    /** SoundFormat 14: MP3 at 8 kHz. */
    MP3_8KHZ(14, 0),
    /** SoundFormat 15: device-specific sound. */
    DEVICE_SPECIFIC(15, 0),
    /** FOURCC {@code Opus}. */
    OPUS(-1, FourCc.OPUS),
    /** FOURCC {@code fLaC}. */
    FLAC(-1, FourCc.FLAC),
    /** FOURCC {@code ac-3}. */
    AC3(-1, FourCc.AC3),
    /** FOURCC {@code ec-3}. */
    EAC3(-1, FourCc.EAC3),
    /** A reserved SoundFormat, an unknown FOURCC, or an empty payload. */
    UNKNOWN(-1, 0);

    private static final AudioCodec[] BY_SOUND_FORMAT = new AudioCodec[16];

    static {
        java.util.Arrays.fill(BY_SOUND_FORMAT, UNKNOWN);
        for (AudioCodec codec : values()) {
            if (codec.soundFormat >= 0) {
                BY_SOUND_FORMAT[codec.soundFormat] = codec;
            }
        }
    }

    private final int soundFormat;
    private final int fourCc;

    AudioCodec(int soundFormat, int fourCc) {
        this.soundFormat = soundFormat;
        this.fourCc = fourCc;
    }

    /** The legacy SoundFormat, or -1 if the codec has none. */
    public int soundFormat() {
        return soundFormat;
    }

    /** The E-RTMP FOURCC, or 0 if the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    /** The codec for a legacy SoundFormat; {@link #UNKNOWN} for 9 (ExHeader), 12, 13 and out of range. */
    public static AudioCodec ofSoundFormat(int soundFormat) {
        return soundFormat >= 0 && soundFormat < 16 ? BY_SOUND_FORMAT[soundFormat] : UNKNOWN;
    }

    /** The codec for an E-RTMP audio FOURCC; {@link #UNKNOWN} for any other. */
    public static AudioCodec ofFourCc(int fourCc) {
        if (fourCc == FourCc.MP4A) {
            return AAC;
        } else if (fourCc == FourCc.OPUS) {
            return OPUS;
        } else if (fourCc == FourCc.FLAC) {
            return FLAC;
        } else if (fourCc == FourCc.AC3) {
            return AC3;
        } else if (fourCc == FourCc.EAC3) {
            return EAC3;
        } else if (fourCc == FourCc.MP3) {
            return MP3;
        }
        return UNKNOWN;
    }
}
