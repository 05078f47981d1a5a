package io.github.rtmpedge.rtmp.chunk;

/** Chunk stream id ranges (RTMP spec 5.3.1.1). */
public final class ChunkStreamIds {

    /** Lowest id a message can use; 0 and 1 only mark the 2- and 3-byte basic header forms. */
    public static final int MIN = 2;
    /** Highest id: 3-byte basic header, 64 + 65535. */
    public static final int MAX = 65599;
    /** Reserved for protocol control messages (5.4). */
    public static final int PROTOCOL_CONTROL = 2;
    /** Highest id that fits the 1-byte basic header. */
    public static final int MAX_ONE_BYTE = 63;
    /** Highest id that fits the 2-byte basic header: 64 + 255. */
    public static final int MAX_TWO_BYTE = 319;

    private ChunkStreamIds() {}
}
