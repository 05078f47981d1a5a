package io.github.rtmpedge.edge.stream.delivery;

/**
 * How a {@link Delivery} puts frames on its peer's connection, handed in by the session that owns
 * the connection: RTMP chunks with the player's message stream id, FLV tags for an HTTP player.
 * Called on the connection's event loop.
 */
public interface FrameWriter {

    /** Whether the connection takes more now (Netty's write buffer water marks). */
    boolean writable();

    /** Writes {@code frame}'s bytes for this peer, without flushing; the caller keeps its reference. */
    void write(MediaFrame frame);

    /**
     * Writes all of {@code batch} as one message if this peer can take one of the batch's shared
     * buffers as it is (RTMP chunks on message stream {@link MediaFrame#SHARED_MESSAGE_STREAM}, or
     * FLV tags), without flushing; false, writing nothing, otherwise.
     */
    default boolean writeBatch(FrameBatch batch) {
        return false;
    }

    /** Ends a batch of {@code frames} frames, {@code wireBytes} bytes as the stream chunked them: count and flush. */
    void flush(int frames, long wireBytes);
}
