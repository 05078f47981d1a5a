package io.github.rtmpedge.rtmp.message;

/**
 * An interpreted RTMP message. Immutable; those that carry media or data bytes are
 * {@link PayloadMessage}s and hold one reference to their buffer.
 */
public sealed interface RtmpMessage permits ProtocolControlMessage, UserControlMessage, CommandMessage, PayloadMessage {

    /** The message type id of the message header (5.3.1.2). */
    int typeId();

    /** Absolute timestamp in milliseconds, unsigned 32-bit. */
    long timestamp();

    /** Message stream id: 0 for the connection, else the id createStream returned. */
    int messageStreamId();
}
