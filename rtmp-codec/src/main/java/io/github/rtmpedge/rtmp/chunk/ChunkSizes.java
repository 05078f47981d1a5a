package io.github.rtmpedge.rtmp.chunk;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;

/** Chunk size rules (RTMP spec 5.4.1). */
public final class ChunkSizes {

    /** Every connection starts at 128 bytes in each direction. */
    public static final int DEFAULT = 128;
    /** Largest value: the top bit of the 32-bit field must be zero. */
    public static final int MAX = 0x7FFFFFFF;

    private ChunkSizes() {}

    /** Validates a Set Chunk Size value read from the wire (unsigned 32-bit) and returns it. */
    public static int checkFromPeer(long value) {
        return checkFromPeer(value, 1);
    }

    /**
     * As {@link #checkFromPeer(long)}, and refuses a legal value below {@code minimum} (a policy
     * limit: {@link ChunkLimits#minChunkSize()}).
     */
    public static int checkFromPeer(long value, int minimum) {
        if (value > 0 && value < minimum) {
            throw RtmpLimitExceededException.below(ChunkLimits.MIN_CHUNK_SIZE + " (Set Chunk Size)", minimum, value);
        }
        if (value == 0) {
            throw new RtmpCodecException("Set Chunk Size of 0 is invalid (must be 1.." + MAX + ")");
        }
        if (value > MAX) {
            throw new RtmpCodecException("Set Chunk Size 0x" + Long.toHexString(value)
                    + " has the reserved top bit set (must be 1.." + MAX + ")");
        }
        return (int) value;
    }

    /** Validates a chunk size we are about to use. */
    public static int checkOwn(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("chunk size must be 1.." + MAX + ": " + value);
        }
        return value;
    }
}
