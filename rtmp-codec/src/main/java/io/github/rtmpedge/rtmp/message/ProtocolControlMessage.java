package io.github.rtmpedge.rtmp.message;

/**
 * Protocol control messages (RTMP spec 5.4): sent on chunk stream 2, message stream 0, timestamp 0.
 */
public sealed interface ProtocolControlMessage extends RtmpMessage
        permits ProtocolControlMessage.SetChunkSize,
                ProtocolControlMessage.Abort,
                ProtocolControlMessage.Acknowledgement,
                ProtocolControlMessage.WindowAcknowledgementSize,
                ProtocolControlMessage.SetPeerBandwidth {

    @Override
    default long timestamp() {
        return 0;
    }

    @Override
    default int messageStreamId() {
        return 0;
    }

    /** 5.4.1: the largest chunk the sender will use from now on; 1..0x7FFFFFFF. */
    record SetChunkSize(int chunkSize) implements ProtocolControlMessage {
        public SetChunkSize {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunk size must be 1..2147483647: " + chunkSize);
            }
        }

        @Override
        public int typeId() {
            return MessageType.SET_CHUNK_SIZE;
        }
    }

    /** 5.4.2: discard the partly received message on {@code chunkStreamId}. */
    record Abort(long chunkStreamId) implements ProtocolControlMessage {
        @Override
        public int typeId() {
            return MessageType.ABORT;
        }
    }

    /** 5.4.3: bytes received so far, modulo 2^32. */
    record Acknowledgement(long sequenceNumber) implements ProtocolControlMessage {
        public Acknowledgement {
            checkUnsigned32("sequence number", sequenceNumber);
        }

        @Override
        public int typeId() {
            return MessageType.ACKNOWLEDGEMENT;
        }
    }

    /** 5.4.4: how many bytes the sender may receive between the peer's acknowledgements. */
    record WindowAcknowledgementSize(long windowSize) implements ProtocolControlMessage {
        public WindowAcknowledgementSize {
            checkUnsigned32("window size", windowSize);
        }

        @Override
        public int typeId() {
            return MessageType.WINDOW_ACK_SIZE;
        }
    }

    /** 5.4.5: limits the peer's output bandwidth; the limit type says how to combine it with the last one. */
    record SetPeerBandwidth(long windowSize, LimitType limitType) implements ProtocolControlMessage {
        public SetPeerBandwidth {
            checkUnsigned32("window size", windowSize);
            java.util.Objects.requireNonNull(limitType, "limitType");
        }

        @Override
        public int typeId() {
            return MessageType.SET_PEER_BANDWIDTH;
        }
    }

    /** 5.4.5 limit types. */
    enum LimitType {
        HARD(0),
        SOFT(1),
        DYNAMIC(2);

        private final int code;

        LimitType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The type for a wire code, or null if the code is not 0, 1 or 2. */
        public static LimitType ofCode(int code) {
            for (LimitType type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            return null;
        }
    }

    private static void checkUnsigned32(String what, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(what + " must be an unsigned 32-bit value: " + value);
        }
    }
}
