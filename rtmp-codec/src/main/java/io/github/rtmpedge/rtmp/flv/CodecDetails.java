package io.github.rtmpedge.rtmp.flv;

import io.netty.buffer.ByteBuf;

/**
 * What an operator wants to know of a stream's codecs, read from its sequence headers: the AVC
 * profile and level (ISO/IEC 14496-15 5.3.3.1, AVCDecoderConfigurationRecord) and the AAC object
 * type, sampling rate and channels (ISO/IEC 14496-3 1.6.2.1, AudioSpecificConfig). Names follow
 * what operators' tools (and SRS's API) print: {@code High}, {@code 3.1}, {@code LC}.
 */
public final class CodecDetails {

    /** Sampling frequencies by samplingFrequencyIndex (14496-3 table 1.18). */
    private static final int[] AAC_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    private CodecDetails() {}

    /** An AVC profile and level, or null for a header that is not a legacy AVC sequence header. */
    public record Avc(String profile, String level) {}

    /** AAC's object type, sampling rate (Hz) and channels, or null for anything else. */
    public record Aac(String profile, int sampleRate, int channels) {}

    /** From an FLV video tag body holding an AVC sequence header (17 00 cts cts cts, then the record). */
    public static Avc avc(ByteBuf payload) {
        int r = payload.readerIndex();
        if (payload.readableBytes() < 5 + 4
                || (payload.getByte(r) & 0x0F) != VideoCodec.AVC.legacyId()
                || payload.getByte(r + 1) != VideoTags.AVC_SEQUENCE_HEADER) {
            return null;
        }
        int profile = payload.getUnsignedByte(r + 5 + 1);
        int level = payload.getUnsignedByte(r + 5 + 3);
        return new Avc(avcProfile(profile), avcLevel(level));
    }

    /** From an FLV audio tag body holding an AAC sequence header (AF 00, then the AudioSpecificConfig). */
    public static Aac aac(ByteBuf payload) {
        int r = payload.readerIndex();
        if (payload.readableBytes() < 2 + 2
                || AudioTags.soundFormat(payload) != AudioTags.SOUND_FORMAT_AAC
                || payload.getByte(r + 1) != AudioTags.AAC_SEQUENCE_HEADER) {
            return null;
        }
        int bits = payload.getUnsignedShort(r + 2);
        int objectType = bits >>> 11;
        int rateIndex = (bits >>> 7) & 0x0F;
        int channels = (bits >>> 3) & 0x0F;
        int rate = rateIndex < AAC_RATES.length ? AAC_RATES[rateIndex] : 0;
        return new Aac(aacProfile(objectType), rate, channels);
    }

    /** profile_idc names (ITU-T H.264 annex A). */
    static String avcProfile(int profileIdc) {
        return switch (profileIdc) {
            case 66 -> "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High10";
            case 122 -> "High422";
            case 244 -> "High444";
            default -> "Other";
        };
    }

    /** level_idc is ten times the level: 31 is 3.1, 30 is 3. */
    static String avcLevel(int levelIdc) {
        if (levelIdc <= 0) {
            return "Other";
        }
        return levelIdc % 10 == 0 ? Integer.toString(levelIdc / 10) : levelIdc / 10 + "." + levelIdc % 10;
    }

    /** Audio object types (14496-3 table 1.17). */
    static String aacProfile(int objectType) {
        return switch (objectType) {
            case 1 -> "Main";
            case 2 -> "LC";
            case 3 -> "SSR";
            case 5 -> "HE";
            case 29 -> "HEv2";
            default -> "Other";
        };
    }
}
