package io.github.rtmpedge.rtmp.message;

import java.util.Arrays;

/**
 * User control messages (RTMP spec 6.2, 7.1.7): message type 4, on message stream 0, with a
 * 2-byte event type and event data.
 */
public sealed interface UserControlMessage extends RtmpMessage
        permits UserControlMessage.StreamBegin,
                UserControlMessage.StreamEof,
                UserControlMessage.StreamDry,
                UserControlMessage.SetBufferLength,
                UserControlMessage.StreamIsRecorded,
                UserControlMessage.PingRequest,
                UserControlMessage.PingResponse,
                UserControlMessage.UnknownEvent {

    int STREAM_BEGIN = 0;
    int STREAM_EOF = 1;
    int STREAM_DRY = 2;
    int SET_BUFFER_LENGTH = 3;
    int STREAM_IS_RECORDED = 4;
    int PING_REQUEST = 6;
    int PING_RESPONSE = 7;

    /** The 2-byte event type. */
    int eventType();

    @Override
    default int typeId() {
        return MessageType.USER_CONTROL;
    }

    @Override
    default long timestamp() {
        return 0;
    }

    @Override
    default int messageStreamId() {
        return 0;
    }

    /** The stream is ready for playback (sent before a stream's media). */
    record StreamBegin(int streamId) implements UserControlMessage {
        @Override
        public int eventType() {
            return STREAM_BEGIN;
        }
    }

    /** Playback of the stream ended; no more data. */
    record StreamEof(int streamId) implements UserControlMessage {
        @Override
        public int eventType() {
            return STREAM_EOF;
        }
    }

    /** No more data for now on the stream. */
    record StreamDry(int streamId) implements UserControlMessage {
        @Override
        public int eventType() {
            return STREAM_DRY;
        }
    }

    /** The client's buffer size for the stream, in milliseconds. */
    record SetBufferLength(int streamId, long bufferLengthMillis) implements UserControlMessage {
        @Override
        public int eventType() {
            return SET_BUFFER_LENGTH;
        }
    }

    /** The stream is a recorded one. */
    record StreamIsRecorded(int streamId) implements UserControlMessage {
        @Override
        public int eventType() {
            return STREAM_IS_RECORDED;
        }
    }

    /** The server checks the client is reachable; {@code time} is the server's local time. */
    record PingRequest(long time) implements UserControlMessage {
        @Override
        public int eventType() {
            return PING_REQUEST;
        }
    }

    /** The client's answer to a ping, echoing the request's time. */
    record PingResponse(long time) implements UserControlMessage {
        @Override
        public int eventType() {
            return PING_RESPONSE;
        }
    }

    /** An event type this codec does not interpret (e.g. SWF verification, 26 and 27); carried intact. */
    @SuppressWarnings("ArrayRecordComponent") // opaque bytes carried intact; equality is not used
    record UnknownEvent(int eventType, byte[] data) implements UserControlMessage {
        public UnknownEvent {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnknownEvent other && other.eventType == eventType && Arrays.equals(other.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * eventType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "UnknownEvent[eventType=" + eventType + ", data=" + data.length + " bytes]";
        }
    }
}
