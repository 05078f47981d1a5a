package io.github.rtmpedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Splits messages into chunks (RTMP spec 5.3), one connection's outbound side. Headers are
 * compressed per chunk stream: format 1 when only the message stream id matches, 2 when length
 * and type match too, 3 when the timestamp delta also repeats. Sending Set Chunk Size through it
 * changes the chunk size for everything after that message.
 *
 * <p>{@link #writeSelfContained} produces output that depends on no earlier header, so one
 * encoding can be shared by many connections; call {@link #forget} on each of those connections'
 * writers for the chunk stream used, so that their next compressed header starts afresh.
 */
public final class ChunkWriter {

    /** Longest header: 3-byte basic header, 11-byte message header, 4-byte extended timestamp. */
    static final int MAX_HEADER_LENGTH = 18;
    /** Longest continuation header: 3-byte basic header and the repeated extended timestamp. */
    static final int MAX_CONTINUATION_LENGTH = 7;

    private static final long EXTENDED = 0xFFFFFF;

    private static final class LastHeader {
        long timestamp;
        long delta;
        /** The delta is known to a peer only after a format 1 or 2 header: format 3 repeats it then. */
        boolean deltaSent;

        int length;
        int typeId;
        int messageStreamId;
    }

    private final IntObjectMap<LastHeader> last = new IntObjectHashMap<>();
    private int chunkSize = ChunkSizes.DEFAULT;

    public int chunkSize() {
        return chunkSize;
    }

    /** Upper bound of the bytes {@link #write} or {@link #writeSelfContained} produce for a message. */
    public static int maxEncodedLength(RawMessage message, int chunkSize) {
        int length = message.length();
        int chunks = length == 0 ? 1 : (int) ((length + (long) chunkSize - 1) / chunkSize);
        return MAX_HEADER_LENGTH + (chunks - 1) * MAX_CONTINUATION_LENGTH + length;
    }

    /** Writes {@code message} as chunks into {@code out}, compressing the header. Does not release it. */
    public void write(RawMessage message, ByteBuf out) {
        int csid = message.chunkStreamId();
        LastHeader prev = last.get(csid);
        long timestamp = message.timestamp();
        int fmt;
        long field;
        long delta = prev == null ? 0 : (timestamp - prev.timestamp) & 0xFFFFFFFFL;
        if (prev == null || prev.messageStreamId != message.messageStreamId() || delta >= 0x80000000L) {
            // 0x80000000 and more is a timestamp that went backwards: only an absolute one says that.
            fmt = 0;
            field = timestamp;
        } else if (prev.length != message.length() || prev.typeId != message.typeId()) {
            fmt = 1;
            field = delta;
        } else if (!prev.deltaSent || prev.delta != delta) {
            fmt = 2;
            field = delta;
        } else {
            fmt = 3;
            field = delta;
        }
        if (prev == null) {
            prev = new LastHeader();
            last.put(csid, prev);
        }
        prev.timestamp = timestamp;
        prev.delta = field;
        prev.deltaSent = fmt != 0;
        prev.length = message.length();
        prev.typeId = message.typeId();
        prev.messageStreamId = message.messageStreamId();

        writeChunks(message, fmt, field, chunkSize, out);
        applyOwnChunkSize(message);
    }

    /**
     * Writes {@code message} with a format 0 header and format 3 continuations, independent of any
     * earlier header. Does not release it and does not touch any writer's state.
     */
    public static void writeSelfContained(RawMessage message, int chunkSize, ByteBuf out) {
        writeChunks(message, 0, message.timestamp(), ChunkSizes.checkOwn(chunkSize), out);
    }

    /** {@link #writeSelfContained} into a new buffer from {@code alloc}, sized exactly. */
    public static ByteBuf encodeSelfContained(ByteBufAllocator alloc, RawMessage message, int chunkSize) {
        ByteBuf out = alloc.ioBuffer(maxEncodedLength(message, chunkSize));
        try {
            writeSelfContained(message, chunkSize, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Forgets the last header sent on {@code chunkStreamId}: the next message there gets format 0. */
    public void forget(int chunkStreamId) {
        last.remove(chunkStreamId);
    }

    private void applyOwnChunkSize(RawMessage message) {
        if (message.typeId() == ChunkControlTypes.SET_CHUNK_SIZE && message.length() >= 4) {
            ByteBuf p = message.content();
            long size = p.getUnsignedInt(p.readerIndex());
            if (size < 1 || size > ChunkSizes.MAX) {
                throw new IllegalArgumentException(
                        "Set Chunk Size of " + size + " sent (must be 1.." + ChunkSizes.MAX + ")");
            }
            chunkSize = (int) size;
        }
    }

    private static void writeChunks(RawMessage message, int fmt, long field, int chunkSize, ByteBuf out) {
        int csid = message.chunkStreamId();
        boolean extended = field >= EXTENDED;
        writeBasicHeader(out, fmt, csid);
        if (fmt <= 2) {
            out.writeMedium((int) (extended ? EXTENDED : field));
        }
        if (fmt <= 1) {
            out.writeMedium(message.length());
            out.writeByte(message.typeId());
        }
        if (fmt == 0) {
            out.writeIntLE(message.messageStreamId());
        }
        if (extended) {
            out.writeInt((int) field);
        }
        ByteBuf payload = message.content();
        int index = payload.readerIndex();
        int remaining = payload.readableBytes();
        int n = Math.min(chunkSize, remaining);
        out.writeBytes(payload, index, n);
        index += n;
        remaining -= n;
        while (remaining > 0) {
            // 5.3.1.3: the extended timestamp is repeated on every format 3 chunk of the message.
            writeBasicHeader(out, 3, csid);
            if (extended) {
                out.writeInt((int) field);
            }
            n = Math.min(chunkSize, remaining);
            out.writeBytes(payload, index, n);
            index += n;
            remaining -= n;
        }
    }

    static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid <= ChunkStreamIds.MAX_ONE_BYTE) {
            out.writeByte(fmt << 6 | csid);
        } else if (csid <= ChunkStreamIds.MAX_TWO_BYTE) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            int id = csid - 64;
            out.writeByte(fmt << 6 | 1);
            out.writeByte(id & 0xFF);
            out.writeByte(id >>> 8);
        }
    }
}
