package io.github.rtmpedge.rtmp.flv;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an FLV file (FLV spec v10.1, E.2-E.3): the header, then tags one by one.
 *
 * <p>Two sources: a {@link ByteBuf} holding the file ({@link #of(ByteBuf)}: each tag's data is a
 * {@code retainedSlice}, nothing is copied, the buffer's indexes are left alone and the reader does
 * not take ownership of it), or an {@link InputStream} ({@link #of(InputStream, ByteBufAllocator)}:
 * each tag's data is read into a buffer from the allocator). Every tag returned by {@link #next}
 * belongs to the caller.
 *
 * <p>Checks: the "FLV" signature, DataOffset at least 9 (bytes beyond 9 are skipped), a TagType of
 * 8, 9 or 18 (filter bit clear), complete tags, and each PreviousTagSize equal to 11 + DataSize or 0
 * (as {@link AggregateSplitter.PreviousTagSizeCheck#EXACT_OR_ZERO}). The end of input is accepted
 * only between tags (after a PreviousTagSize). Violations raise {@link RtmpCodecException}.
 */
public final class FlvReader implements AutoCloseable {

    private final ByteBuf file;
    private final InputStream in;
    private final ByteBufAllocator alloc;
    private final byte[] scratch = new byte[FlvTag.HEADER_SIZE];
    private final ByteBuf scratchBuf = Unpooled.wrappedBuffer(scratch);
    private final FlvHeader header;
    private int position;
    private int tagIndex;

    private FlvReader(ByteBuf file, InputStream in, ByteBufAllocator alloc) throws IOException {
        this.file = file;
        this.in = in;
        this.alloc = alloc;
        this.header = readHeader();
    }

    /** Reads from a buffer holding a whole FLV file, from its readerIndex. Reads the header at once. */
    public static FlvReader of(ByteBuf file) {
        try {
            return new FlvReader(file, null, null);
        } catch (IOException e) {
            throw new IllegalStateException("no I/O on a buffer", e);
        }
    }

    /** Reads from a stream; tag data goes into buffers from {@code alloc}. Reads the header at once. */
    public static FlvReader of(InputStream in, ByteBufAllocator alloc) throws IOException {
        return new FlvReader(null, in, alloc);
    }

    public FlvHeader header() {
        return header;
    }

    /**
     * The next tag, or {@code null} at the end of the input.
     *
     * @throws RtmpCodecException if the input is not a well-formed FLV tag
     */
    public FlvTag next() throws IOException {
        int got = fill(FlvTag.HEADER_SIZE);
        if (got == 0) {
            return null;
        }
        if (got < FlvTag.HEADER_SIZE) {
            throw new RtmpCodecException(
                    "FLV tag " + tagIndex + ": truncated tag header, " + got + " of " + FlvTag.HEADER_SIZE + " bytes");
        }
        int type = scratchBuf.getUnsignedByte(0);
        if (!FlvTag.isKnownType(type)) {
            throw new RtmpCodecException(String.format(
                    "FLV tag %d: tag type byte 0x%02x is not audio (8)," + " video (9) or script data (18)",
                    tagIndex, type));
        }
        int size = scratchBuf.getUnsignedMedium(1);
        long timestamp = scratchBuf.getUnsignedMedium(4) | ((long) scratchBuf.getUnsignedByte(7) << 24);
        ByteBuf data = readData(size);
        try {
            got = fill(FlvTag.PREVIOUS_TAG_SIZE_LENGTH);
            if (got < FlvTag.PREVIOUS_TAG_SIZE_LENGTH) {
                throw new RtmpCodecException(
                        "FLV tag " + tagIndex + ": PreviousTagSize truncated, " + got + " of 4 bytes");
            }
            long previousTagSize = scratchBuf.getUnsignedInt(0);
            if (previousTagSize != 0 && previousTagSize != FlvTag.HEADER_SIZE + size) {
                throw new RtmpCodecException("FLV tag " + tagIndex + ": PreviousTagSize " + previousTagSize
                        + " is neither " + (FlvTag.HEADER_SIZE + size) + " (11 + data size) nor 0");
            }
            tagIndex++;
            return new FlvTag(type, timestamp, data);
        } catch (RuntimeException | IOException e) {
            data.release();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }

    private FlvHeader readHeader() throws IOException {
        int got = fill(FlvHeader.SIZE);
        if (got < FlvHeader.SIZE) {
            throw new RtmpCodecException("FLV header truncated: " + got + " of " + FlvHeader.SIZE + " bytes");
        }
        if (scratch[0] != 'F' || scratch[1] != 'L' || scratch[2] != 'V') {
            throw new RtmpCodecException(String.format(
                    "not an FLV file: signature %02x %02x %02x is not \"FLV\"",
                    scratch[0] & 0xFF, scratch[1] & 0xFF, scratch[2] & 0xFF));
        }
        int version = scratch[3] & 0xFF;
        int flags = scratch[4] & 0xFF;
        long dataOffset = scratchBuf.getUnsignedInt(5);
        if (dataOffset < FlvHeader.SIZE) {
            throw new RtmpCodecException("FLV DataOffset " + dataOffset + " is smaller than the header (9)");
        }
        for (long skip = dataOffset - FlvHeader.SIZE; skip > 0; ) {
            int chunk = (int) Math.min(skip, scratch.length);
            if (fill(chunk) < chunk) {
                throw new RtmpCodecException("FLV input ends inside the header (DataOffset " + dataOffset + ")");
            }
            skip -= chunk;
        }
        // PreviousTagSize0; its value (always 0 by the spec) is not checked.
        if (fill(FlvTag.PREVIOUS_TAG_SIZE_LENGTH) < FlvTag.PREVIOUS_TAG_SIZE_LENGTH) {
            throw new RtmpCodecException("FLV input ends before PreviousTagSize0");
        }
        return new FlvHeader(version, (flags & 0x04) != 0, (flags & 0x01) != 0);
    }

    /** Reads up to {@code n} (at most 11) bytes into {@code scratch}; returns how many were available. */
    private int fill(int n) throws IOException {
        if (file != null) {
            int available = Math.min(n, file.writerIndex() - file.readerIndex() - position);
            file.getBytes(file.readerIndex() + position, scratch, 0, available);
            position += available;
            return available;
        }
        int got = 0;
        while (got < n) {
            int r = in.read(scratch, got, n - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    private ByteBuf readData(int size) throws IOException {
        if (file != null) {
            int available = file.writerIndex() - file.readerIndex() - position;
            if (available < size) {
                throw new RtmpCodecException(
                        "FLV tag " + tagIndex + ": data size " + size + " but only " + available + " bytes left");
            }
            ByteBuf data = file.retainedSlice(file.readerIndex() + position, size);
            position += size;
            return data;
        }
        ByteBuf data = alloc.buffer(size, size);
        try {
            while (data.isWritable()) {
                if (data.writeBytes(in, data.writableBytes()) < 0) {
                    throw new RtmpCodecException("FLV tag " + tagIndex + ": data size " + size
                            + " but the input ends after " + data.readableBytes() + " bytes");
                }
            }
            return data;
        } catch (RuntimeException | IOException e) {
            data.release();
            throw e;
        }
    }
}
