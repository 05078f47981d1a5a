package io.github.rtmpedge.rtmp.flv;

/**
 * A parsed audio message header (see {@link AudioTags} for the layouts). Built on demand by
 * {@link AudioTags#parse}; the hot path uses the {@code AudioTags} predicates instead.
 *
 * @param enhanced       SoundFormat was 9 (ExHeader)
 * @param codec          the codec; {@link AudioCodec#UNKNOWN} when not recognised or not signalled
 * @param soundFormat    the SoundFormat nibble as sent (9 when enhanced)
 * @param fourCc         the FOURCC as sent (also when unknown), 0 when absent
 * @param soundRate      legacy SoundRate (0 5.5 kHz, 1 11 kHz, 2 22 kHz, 3 44 kHz), -1 when enhanced
 * @param soundSize      legacy SoundSize (0 8-bit, 1 16-bit), -1 when enhanced
 * @param soundType      legacy SoundType (0 mono, 1 stereo), -1 when enhanced
 * @param packetType     AACPacketType for legacy AAC, the effective AudioPacketType (after ModEx
 *                       and multitrack) when enhanced, -1 otherwise
 * @param multitrack     E-RTMP multitrack message
 * @param multitrackType AvMultitrackType, or -1
 * @param bodyOffset     bytes from the payload's readerIndex to the codec data (for multitrack: to
 *                       the first track's entry)
 */
public record AudioTagHeader(
        boolean enhanced,
        AudioCodec codec,
        int soundFormat,
        int fourCc,
        int soundRate,
        int soundSize,
        int soundType,
        int packetType,
        boolean multitrack,
        int multitrackType,
        int bodyOffset) {

    /** Same answer as {@link AudioTags#isSequenceHeader}. */
    public boolean isSequenceHeader() {
        return (enhanced || soundFormat == AudioTags.SOUND_FORMAT_AAC) && packetType == AudioTags.PACKET_SEQUENCE_START;
    }

    /** Same answer as {@link AudioTags#isSequenceEnd}. */
    public boolean isSequenceEnd() {
        return enhanced && packetType == AudioTags.PACKET_SEQUENCE_END;
    }
}
