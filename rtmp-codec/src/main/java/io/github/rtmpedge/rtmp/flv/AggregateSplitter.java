package io.github.rtmpedge.rtmp.flv;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits an RTMP aggregate message (RTMP spec 7.1.6, type 22) into its sub-messages.
 *
 * <p>The payload is a sequence of FLV tags, each a tag header (TagType UI8 with the filter and
 * reserved bits, DataSize UI24, Timestamp UI24, TimestampExtended UI8 = bits 24-31, StreamID UI24),
 * the data, and a PreviousTagSize UI32. Each sub-message keeps the aggregate's chunk stream id and
 * message stream id (the tag's StreamID is ignored, FLV says it is always 0), takes its type from
 * the tag, and gets the timestamp {@code aggregate.timestamp + (tag.timestamp - firstTag.timestamp)}
 * in unsigned 32-bit arithmetic (RTMP spec 7.1.6: the first sub-message's timestamp is the
 * aggregate's, the others keep their offsets). Its payload is a {@code retainedSlice} of the
 * aggregate's content: no copy.
 *
 * <p><b>All or nothing.</b> The whole aggregate is validated before the first sub-message is created,
 * so a malformed aggregate yields nothing (and leaks nothing). Rejected: a TagType byte that is not
 * exactly 8, 9 or 18 (so a set filter bit, meaning an encrypted tag, or set reserved bits), a tag
 * header or data running past the payload, a missing PreviousTagSize, and with
 * {@link PreviousTagSizeCheck#EXACT_OR_ZERO} a PreviousTagSize other than 11 + DataSize or 0.
 * nginx-rtmp and SRS read PreviousTagSize without checking its value (nginx-rtmp even accepts it
 * missing after the last tag); {@link PreviousTagSizeCheck#IGNORE} matches them for encoders that
 * write odd values. An empty aggregate yields no sub-messages.
 *
 * <p>The aggregate itself is not released: the caller keeps its reference.
 */
public final class AggregateSplitter {

    /** How to treat each tag's PreviousTagSize (it must be present either way). */
    public enum PreviousTagSizeCheck {
        /**
         * 11 + DataSize as the FLV spec says, or 0, tolerated as "not tracked" (0 is the value FLV
         * itself writes where there is no previous tag).
         */
        EXACT_OR_ZERO,
        /** Any value, as nginx-rtmp and SRS do. */
        IGNORE
    }

    private AggregateSplitter() {}

    /**
     * Splits with {@link PreviousTagSizeCheck#EXACT_OR_ZERO} and returns the sub-messages in order;
     * the caller owns (and must release) each of them.
     *
     * @throws RtmpCodecException if the aggregate is malformed; then nothing was created
     */
    public static List<RawMessage> split(RawMessage aggregate) {
        List<RawMessage> out = new ArrayList<>();
        split(aggregate, PreviousTagSizeCheck.EXACT_OR_ZERO, out::add);
        return out;
    }

    /** {@link #split(RawMessage, PreviousTagSizeCheck, Consumer)} with {@link PreviousTagSizeCheck#EXACT_OR_ZERO}. */
    public static void split(RawMessage aggregate, Consumer<? super RawMessage> out) {
        split(aggregate, PreviousTagSizeCheck.EXACT_OR_ZERO, out);
    }

    /**
     * Validates the whole aggregate, then hands each sub-message, in order, to {@code out}, which
     * takes ownership of it. If {@code out} throws, the sub-messages not yet handed over are never
     * created; those already handed over belong to the consumer.
     *
     * @throws RtmpCodecException       if the aggregate is malformed; then {@code out} was not called
     * @throws IllegalArgumentException if {@code aggregate} is not of type 22
     */
    public static void split(RawMessage aggregate, PreviousTagSizeCheck check, Consumer<? super RawMessage> out) {
        if (aggregate.typeId() != MessageType.AGGREGATE) {
            throw new IllegalArgumentException("not an aggregate message: " + aggregate);
        }
        ByteBuf payload = aggregate.content();
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        validate(payload, start, end, check);
        if (start == end) {
            return;
        }
        long firstTimestamp = tagTimestamp(payload, start);
        for (int pos = start; pos < end; ) {
            int type = payload.getUnsignedByte(pos);
            int size = payload.getUnsignedMedium(pos + 1);
            long delta = tagTimestamp(payload, pos) - firstTimestamp;
            long timestamp = (aggregate.timestamp() + delta) & 0xFFFFFFFFL;
            ByteBuf data = payload.retainedSlice(pos + FlvTag.HEADER_SIZE, size);
            out.accept(new RawMessage(aggregate.chunkStreamId(), timestamp, type, aggregate.messageStreamId(), data));
            pos += FlvTag.HEADER_SIZE + size + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
        }
    }

    private static void validate(ByteBuf payload, int start, int end, PreviousTagSizeCheck check) {
        int index = 0;
        for (int pos = start; pos < end; index++) {
            int offset = pos - start;
            if (end - pos < FlvTag.HEADER_SIZE) {
                throw new RtmpCodecException("aggregate sub-message " + index + " at offset " + offset
                        + ": truncated tag header, " + (end - pos) + " of " + FlvTag.HEADER_SIZE + " bytes");
            }
            int type = payload.getUnsignedByte(pos);
            if (!FlvTag.isKnownType(type)) {
                throw new RtmpCodecException(String.format(
                        "aggregate sub-message %d at offset %d: tag type byte"
                                + " 0x%02x is not audio (8), video (9) or script data (18)%s",
                        index,
                        offset,
                        type,
                        (type & 0x20) != 0 ? " (filter bit set: encrypted tags are not supported)" : ""));
            }
            int size = payload.getUnsignedMedium(pos + 1);
            long needed = (long) FlvTag.HEADER_SIZE + size + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
            if (needed > end - pos) {
                throw new RtmpCodecException("aggregate sub-message " + index + " at offset " + offset
                        + ": data size " + size + " plus header and PreviousTagSize needs " + needed
                        + " bytes, only " + (end - pos) + " left");
            }
            long previousTagSize = payload.getUnsignedInt(pos + FlvTag.HEADER_SIZE + size);
            if (check == PreviousTagSizeCheck.EXACT_OR_ZERO
                    && previousTagSize != 0
                    && previousTagSize != FlvTag.HEADER_SIZE + size) {
                throw new RtmpCodecException("aggregate sub-message " + index + " at offset " + offset
                        + ": PreviousTagSize " + previousTagSize + " is neither " + (FlvTag.HEADER_SIZE + size)
                        + " (11 + data size) nor 0");
            }
            pos += (int) needed;
        }
    }

    /** Timestamp UI24 with TimestampExtended as bits 24-31. */
    private static long tagTimestamp(ByteBuf payload, int tagStart) {
        return payload.getUnsignedMedium(tagStart + 4) | ((long) payload.getUnsignedByte(tagStart + 7) << 24);
    }
}
