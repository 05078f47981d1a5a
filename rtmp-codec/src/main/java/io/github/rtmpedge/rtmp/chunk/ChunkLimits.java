package io.github.rtmpedge.rtmp.chunk;

/**
 * Limits the chunk decoder enforces against a hostile peer. All are checked before anything is
 * allocated for the offending input.
 *
 * @param maxMessageLength largest message length a header may declare, bytes (the field allows 16 MiB - 1)
 * @param maxPartialBytes  largest sum of the declared lengths of messages being assembled at once on one
 *                         connection, bytes
 * @param maxChunkStreams  most chunk streams one connection may use
 * @param minChunkSize     smallest Set Chunk Size accepted from the peer (the spec allows 1; a tiny chunk
 *                         size costs a chunk header per payload byte)
 */
public record ChunkLimits(int maxMessageLength, long maxPartialBytes, int maxChunkStreams, int minChunkSize) {

    /** Names as they appear in errors and in configuration. */
    public static final String MAX_MESSAGE_LENGTH = "max_message_length";

    public static final String MAX_PARTIAL_BYTES = "max_partial_bytes";
    public static final String MAX_CHUNK_STREAMS = "max_chunk_streams";
    public static final String MIN_CHUNK_SIZE = "min_chunk_size";
    /** Largest configurable minimum: a peer may always use 64 KiB chunks. */
    public static final int MAX_MIN_CHUNK_SIZE = 65536;

    /**
     * Safe defaults: 8 MiB per message is far above a 4K keyframe at any sane bitrate, 16 MiB in
     * flight per connection, and 64 chunk streams where real encoders use fewer than ten.
     */
    public static final ChunkLimits DEFAULT = new ChunkLimits(8 << 20, 16L << 20, 64);

    /** Accepting any chunk size the spec allows (1 and up). */
    public ChunkLimits(int maxMessageLength, long maxPartialBytes, int maxChunkStreams) {
        this(maxMessageLength, maxPartialBytes, maxChunkStreams, 1);
    }

    public ChunkLimits {
        if (maxMessageLength < 1 || maxMessageLength > 0xFFFFFF) {
            throw new IllegalArgumentException(
                    MAX_MESSAGE_LENGTH + " must be 1.." + 0xFFFFFF + ": " + maxMessageLength);
        }
        if (maxPartialBytes < maxMessageLength) {
            throw new IllegalArgumentException(MAX_PARTIAL_BYTES + " must be at least " + MAX_MESSAGE_LENGTH + " ("
                    + maxMessageLength + "): " + maxPartialBytes);
        }
        if (maxChunkStreams < 1 || maxChunkStreams > ChunkStreamIds.MAX - ChunkStreamIds.MIN + 1) {
            throw new IllegalArgumentException(MAX_CHUNK_STREAMS + " must be 1..65598: " + maxChunkStreams);
        }
        if (minChunkSize < 1 || minChunkSize > MAX_MIN_CHUNK_SIZE) {
            throw new IllegalArgumentException(
                    MIN_CHUNK_SIZE + " must be 1.." + MAX_MIN_CHUNK_SIZE + ": " + minChunkSize);
        }
    }
}
