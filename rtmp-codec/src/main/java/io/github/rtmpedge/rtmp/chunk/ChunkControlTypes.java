package io.github.rtmpedge.rtmp.chunk;

/**
 * Type ids of the protocol control messages that govern the chunk layer itself, which the chunk
 * reader and writer act on (RTMP spec 5.4.1 Set Chunk Size, 5.4.2 Abort, 5.4.4 Window
 * Acknowledgement Size). They live here, below the message package, so that the chunk layer needs
 * nothing from above it; {@code message.MessageType} takes its values from these.
 */
public final class ChunkControlTypes {
    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int WINDOW_ACK_SIZE = 5;

    private ChunkControlTypes() {}
}
