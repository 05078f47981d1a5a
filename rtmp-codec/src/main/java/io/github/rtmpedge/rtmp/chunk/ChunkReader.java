package io.github.rtmpedge.rtmp.chunk;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.List;

/**
 * The chunk stream state machine (RTMP spec 5.3): reassembles messages from interleaved chunks.
 * Independent of any channel so that it can be driven by {@link ChunkDecoder}, a fuzzer or a
 * benchmark alike.
 *
 * <p>It interprets the three protocol control messages that govern the chunk layer itself (Set
 * Chunk Size, Abort, Window Acknowledgement Size) and still passes them on. Any violation is thrown
 * once and moves it to a sticky failed state in which it discards all further input.
 */
public final class ChunkReader {

    private enum State {
        HEADER,
        PAYLOAD,
        FAILED
    }

    /** Per chunk stream: the last header's fields (for header compression) and the message in progress. */
    private static final class ChunkStream {
        final int id;
        long timestamp;
        /** The last timestamp field: absolute after format 0, a delta after 1 and 2 (reused by format 3). */
        long timestampField;

        boolean extendedTimestamp;
        int length;
        int typeId;
        int messageStreamId;
        /** Bytes of the current message still to come; 0 when no message is in progress. */
        int remaining;
        /** Payload received so far, or null before the first byte. */
        ByteBuf payload;

        ChunkStream(int id) {
            this.id = id;
        }

        boolean inProgress() {
            return remaining > 0;
        }
    }

    private final ChunkLimits limits;
    private final IntObjectMap<ChunkStream> streams = new IntObjectHashMap<>();
    private State state = State.HEADER;
    private RtmpCodecException failure;
    private int chunkSize = ChunkSizes.DEFAULT;
    private ChunkStream current;
    private int chunkBytesLeft;
    private long partialBytes;

    private long bytesReceived;
    private long acknowledgementWindow;
    private long acknowledgedAt;
    private boolean acknowledgementDue;

    public ChunkReader(ChunkLimits limits) {
        this.limits = limits;
    }

    /**
     * Consumes as much of {@code in} as forms chunks and adds each completed message to {@code out}.
     * Bytes of an incomplete chunk header stay in {@code in}.
     *
     * @throws RtmpCodecException on a protocol violation; the reader is then failed for good
     */
    public void read(ByteBuf in, ByteBufAllocator alloc, List<Object> out) {
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes()); // reported once; the connection is going away
            return;
        }
        int start = in.readerIndex();
        try {
            while (state == State.HEADER ? readHeader(in, out) : readPayload(in, alloc, out)) {
                // keep going while progress is made
            }
        } catch (RtmpCodecException e) {
            fail(e);
            in.skipBytes(in.readableBytes());
            throw e;
        } finally {
            countReceived(in.readerIndex() - start);
        }
    }

    /** Chunk size the peer is using (set by its Set Chunk Size messages). */
    public int chunkSize() {
        return chunkSize;
    }

    /** Bytes consumed so far. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Window the peer announced with Window Acknowledgement Size, 0 before it did. */
    public long acknowledgementWindow() {
        return acknowledgementWindow;
    }

    /**
     * Returns the sequence number to acknowledge if a window's worth of bytes arrived since the last
     * time this returned one, else -1. Clears the pending state.
     */
    public long takeAcknowledgementDue() {
        if (!acknowledgementDue) {
            return -1;
        }
        acknowledgementDue = false;
        return bytesReceived & 0xFFFFFFFFL;
    }

    /** Sum of the declared lengths of messages being assembled. */
    public long partialBytes() {
        return partialBytes;
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    /** The error that failed this reader, or null. */
    public RtmpCodecException failure() {
        return failure;
    }

    /** Drops every message in progress and its buffer. Call when the connection ends. */
    public void release() {
        for (ChunkStream cs : streams.values()) {
            discard(cs);
        }
    }

    private void countReceived(int n) {
        bytesReceived += n;
        if (acknowledgementWindow > 0 && bytesReceived - acknowledgedAt >= acknowledgementWindow) {
            acknowledgedAt = bytesReceived;
            acknowledgementDue = true;
        }
    }

    private void fail(RtmpCodecException e) {
        if (state != State.FAILED) {
            state = State.FAILED;
            failure = e;
            release();
        }
    }

    /** Reads one whole chunk header (basic + message header + extended timestamp) or nothing. */
    private boolean readHeader(ByteBuf in, List<Object> out) {
        int available = in.readableBytes();
        if (available < 1) {
            return false;
        }
        int base = in.readerIndex();
        int first = in.getUnsignedByte(base);
        int fmt = first >>> 6;
        int csid;
        int basicLength;
        switch (first & 0x3F) {
            case 0 -> { // 5.3.1.1: 2-byte form, ids 64..319
                if (available < 2) {
                    return false;
                }
                csid = 64 + in.getUnsignedByte(base + 1);
                basicLength = 2;
            }
            case 1 -> { // 3-byte form, ids 64..65599, low byte first
                if (available < 3) {
                    return false;
                }
                csid = 64 + in.getUnsignedByte(base + 1) + (in.getUnsignedByte(base + 2) << 8);
                basicLength = 3;
            }
            default -> {
                csid = first & 0x3F;
                basicLength = 1;
            }
        }
        ChunkStream cs = streams.get(csid);
        if (cs == null && fmt > 1) {
            // Format 1 carries length and type, so a fresh chunk stream can start with it: librtmp
            // sends its Acknowledgements that way and SRS accepts them (timestamp from 0, stream 0).
            // Formats 2 and 3 would need a length and type nobody sent.
            throw new RtmpCodecException("chunk stream " + csid + ": format " + fmt
                    + " header with no earlier format 0 or 1 header on that chunk stream");
        }
        int messageHeaderLength = switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (available < basicLength + messageHeaderLength) {
            return false;
        }
        int h = base + basicLength;
        long field = fmt == 3 ? 0 : in.getUnsignedMedium(h);
        boolean extended = fmt == 3 ? cs.extendedTimestamp : field == 0xFFFFFF;
        int headerLength = basicLength + messageHeaderLength + (extended ? 4 : 0);
        if (available < headerLength) {
            return false;
        }
        if (extended) {
            // 5.3.1.3: present when the field is 0xFFFFFF, and repeated on format 3 chunks that follow.
            long ext = in.getUnsignedInt(h + messageHeaderLength);
            if (fmt != 3) {
                field = ext;
            }
        }

        if (cs == null) {
            if (streams.size() >= limits.maxChunkStreams()) {
                throw new RtmpLimitExceededException(
                        ChunkLimits.MAX_CHUNK_STREAMS, limits.maxChunkStreams(), streams.size() + 1L);
            }
            cs = new ChunkStream(csid);
            streams.put(csid, cs);
        }

        if (cs.inProgress()) {
            if (fmt != 3) {
                int received = cs.length - cs.remaining;
                throw new RtmpCodecException("chunk stream " + csid + ": format " + fmt + " header while a message of "
                        + cs.length + " bytes is incomplete (" + received + " received)");
            }
            in.skipBytes(headerLength);
            current = cs;
            chunkBytesLeft = Math.min(chunkSize, cs.remaining);
            state = State.PAYLOAD;
            return true;
        }

        int length = cs.length;
        int typeId = cs.typeId;
        if (fmt <= 1) {
            length = in.getUnsignedMedium(h + 3);
            typeId = in.getUnsignedByte(h + 6);
        }
        if (length > limits.maxMessageLength()) {
            throw new RtmpLimitExceededException(ChunkLimits.MAX_MESSAGE_LENGTH, limits.maxMessageLength(), length);
        }
        if (partialBytes + length > limits.maxPartialBytes()) {
            throw new RtmpLimitExceededException(
                    ChunkLimits.MAX_PARTIAL_BYTES, limits.maxPartialBytes(), partialBytes + length);
        }
        switch (fmt) {
            case 0 -> {
                cs.timestamp = field;
                cs.messageStreamId = in.getIntLE(h + 7); // the one little-endian field (5.3.1.2.1)
                cs.timestampField = field;
            }
            case 1, 2 -> {
                cs.timestamp = (cs.timestamp + field) & 0xFFFFFFFFL;
                cs.timestampField = field;
            }
            default -> cs.timestamp = (cs.timestamp + cs.timestampField) & 0xFFFFFFFFL;
        }
        if (fmt != 3) {
            cs.extendedTimestamp = extended;
        }
        cs.length = length;
        cs.typeId = typeId;
        in.skipBytes(headerLength);

        if (length == 0) {
            complete(cs, Unpooled.EMPTY_BUFFER, out);
            return true;
        }
        cs.remaining = length;
        partialBytes += length;
        current = cs;
        chunkBytesLeft = Math.min(chunkSize, length);
        state = State.PAYLOAD;
        return true;
    }

    private boolean readPayload(ByteBuf in, ByteBufAllocator alloc, List<Object> out) {
        ChunkStream cs = current;
        int available = in.readableBytes();
        if (available == 0) {
            return false;
        }
        if (cs.payload == null && chunkBytesLeft == cs.length && available >= cs.length) {
            // The whole message is in one chunk and already here: hand out a slice, no copy.
            ByteBuf payload = in.readRetainedSlice(cs.length);
            cs.remaining = 0;
            partialBytes -= cs.length;
            state = State.HEADER;
            complete(cs, payload, out);
            return true;
        }
        if (cs.payload == null) {
            cs.payload = alloc.buffer(Math.min(cs.length, 64 * 1024), cs.length);
        }
        int n = Math.min(chunkBytesLeft, available);
        cs.payload.writeBytes(in, n);
        chunkBytesLeft -= n;
        cs.remaining -= n;
        if (chunkBytesLeft > 0) {
            return false; // the rest of this chunk has not arrived yet
        }
        state = State.HEADER;
        if (cs.remaining == 0) {
            ByteBuf payload = cs.payload;
            cs.payload = null;
            partialBytes -= cs.length;
            complete(cs, payload, out);
        }
        return true;
    }

    private void complete(ChunkStream cs, ByteBuf payload, List<Object> out) {
        RawMessage message = new RawMessage(cs.id, cs.timestamp, cs.typeId, cs.messageStreamId, payload);
        try {
            applyChunkControl(message);
        } catch (RuntimeException e) {
            message.release();
            throw e;
        }
        out.add(message);
    }

    /** The control messages that change how chunks are read take effect before the next chunk. */
    private void applyChunkControl(RawMessage message) {
        switch (message.typeId()) {
            case ChunkControlTypes.SET_CHUNK_SIZE ->
                chunkSize = ChunkSizes.checkFromPeer(controlValue(message, "Set Chunk Size"), limits.minChunkSize());
            case ChunkControlTypes.ABORT -> {
                long target = controlValue(message, "Abort");
                ChunkStream aborted = target <= Integer.MAX_VALUE ? streams.get((int) target) : null;
                if (aborted != null) {
                    discard(aborted);
                }
            }
            case ChunkControlTypes.WINDOW_ACK_SIZE -> {
                acknowledgementWindow = controlValue(message, "Window Acknowledgement Size");
                acknowledgedAt = bytesReceived;
            }
            default -> {
                // not a chunk-layer concern
            }
        }
    }

    private static long controlValue(RawMessage message, String name) {
        ByteBuf payload = message.content();
        if (payload.readableBytes() < 4) {
            throw new RtmpCodecException(name + " message has " + payload.readableBytes() + " bytes, needs 4");
        }
        return payload.getUnsignedInt(payload.readerIndex());
    }

    private void discard(ChunkStream cs) {
        if (cs.inProgress()) {
            partialBytes -= cs.length;
            cs.remaining = 0;
        }
        if (cs.payload != null) {
            cs.payload.release();
            cs.payload = null;
        }
    }
}
