package io.github.rtmpedge.rtmp.client;

import io.github.rtmpedge.rtmp.chunk.ChunkSizes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one client connection says and how long it waits: play or publish, the names it sends,
 * and a timeout per {@link Phase}. Immutable; built with {@link #play} or {@link #publish}.
 *
 * <p>The app, tcUrl and stream name are sent as given, queries (tokens) included. This class never
 * prints them; callers that log them or a failure reason must redact them first.
 */
public final class RtmpClientConfig {

    /** Play (pull a stream) or publish (push one). */
    public enum Mode {
        PLAY,
        PUBLISH
    }

    /** The flashVer Flash Player on Linux sends, which ffmpeg and librtmp send when playing. */
    public static final String PLAYER_FLASH_VER = "LNX 9,0,124,2";
    /** The flashVer of an FMLE-style encoder, as ffmpeg sends one when publishing. */
    public static final String ENCODER_FLASH_VER = "FMLE/3.0 (compatible; rtmp-edge)";

    private final Mode mode;
    private final String app;
    private final String tcUrl;
    private final String streamName;
    private final String flashVer;
    private final int chunkSize;
    private final long bufferLengthMillis;
    private final boolean acknowledge;
    private final Map<Phase, Duration> timeouts;

    private RtmpClientConfig(Builder b) {
        this.mode = b.mode;
        this.app = b.app;
        this.tcUrl = b.tcUrl;
        this.streamName = b.streamName;
        this.flashVer = b.flashVer;
        this.chunkSize = b.chunkSize;
        this.bufferLengthMillis = b.bufferLengthMillis;
        this.acknowledge = b.acknowledge;
        this.timeouts = new EnumMap<>(b.timeouts);
    }

    /**
     * A player of {@code streamName}.
     *
     * @param app        the application as sent in connect, with its query if any
     * @param tcUrl      the tcUrl sent in connect, e.g. {@code rtmp://host:1935/live}
     * @param streamName the stream name as sent in play, with its query if any
     */
    public static Builder play(String app, String tcUrl, String streamName) {
        return new Builder(Mode.PLAY, app, tcUrl, streamName).flashVer(PLAYER_FLASH_VER);
    }

    /** A live publisher of {@code streamName}; arguments as for {@link #play}. */
    public static Builder publish(String app, String tcUrl, String streamName) {
        return new Builder(Mode.PUBLISH, app, tcUrl, streamName).flashVer(ENCODER_FLASH_VER);
    }

    public Mode mode() {
        return mode;
    }

    public String app() {
        return app;
    }

    public String tcUrl() {
        return tcUrl;
    }

    public String streamName() {
        return streamName;
    }

    public String flashVer() {
        return flashVer;
    }

    /** The Set Chunk Size sent before connect; 0 when none is sent (the peer reads 128-byte chunks). */
    public int chunkSize() {
        return chunkSize;
    }

    /** The Set Buffer Length sent after play, in ms; negative when none is sent. */
    public long bufferLengthMillis() {
        return bufferLengthMillis;
    }

    /** Whether Acknowledgements are sent when the peer's window is full (RTMP spec 5.4.3). */
    public boolean acknowledge() {
        return acknowledge;
    }

    /** How long {@code phase} may wait for the server, or null when it may wait for ever. */
    public Duration timeout(Phase phase) {
        return timeouts.get(phase);
    }

    /** Builds a {@link RtmpClientConfig}; every setting but the names has a default. */
    public static final class Builder {
        private final Mode mode;
        private final String app;
        private final String tcUrl;
        private final String streamName;
        private String flashVer;
        private int chunkSize;
        private long bufferLengthMillis = -1;
        private boolean acknowledge = true;
        private final Map<Phase, Duration> timeouts = new EnumMap<>(Phase.class);

        private Builder(Mode mode, String app, String tcUrl, String streamName) {
            this.mode = mode;
            this.app = Objects.requireNonNull(app, "app");
            this.tcUrl = Objects.requireNonNull(tcUrl, "tcUrl");
            this.streamName = Objects.requireNonNull(streamName, "streamName");
        }

        /** The flashVer field of connect; defaults to {@link #PLAYER_FLASH_VER} or {@link #ENCODER_FLASH_VER}. */
        public Builder flashVer(String value) {
            this.flashVer = Objects.requireNonNull(value, "flashVer");
            return this;
        }

        /**
         * Sends Set Chunk Size ({@code 1..0x7FFFFFFF}) right after the handshake, before connect, as
         * ffmpeg does: larger chunks save headers on video frames (RTMP spec 5.4.1).
         */
        public Builder chunkSize(int size) {
            if (size < 1) { // an int is never above ChunkSizes.MAX (2^31 - 1)
                throw new IllegalArgumentException("chunk size must be 1.." + ChunkSizes.MAX + ": " + size);
            }
            this.chunkSize = size;
            return this;
        }

        /** Sends Set Buffer Length (RTMP spec 7.1.7, event 3) with this many ms right after play. */
        public Builder bufferLength(long millis) {
            if (millis < 0 || millis > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("buffer length must be an unsigned 32-bit value: " + millis);
            }
            this.bufferLengthMillis = millis;
            return this;
        }

        /** False for a client that never acknowledges (to test a server's patience); default true. */
        public Builder acknowledge(boolean value) {
            this.acknowledge = value;
            return this;
        }

        /**
         * Bounds {@code phase}, one of those that {@linkplain Phase#awaitsServer() wait for the
         * server}: if its answer has not come {@code timeout} after the phase began, the connection
         * fails. {@link Phase#HANDSHAKE} is bounded by the handshake handler
         * ({@link RtmpClientPipeline} passes it this value; 10 s when unset).
         */
        public Builder timeout(Phase phase, Duration timeout) {
            if (!phase.awaitsServer()) {
                throw new IllegalArgumentException(phase + " does not wait for the server");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout of " + phase + " must be positive: " + timeout);
            }
            timeouts.put(phase, timeout);
            return this;
        }

        public RtmpClientConfig build() {
            if (mode == Mode.PUBLISH && bufferLengthMillis >= 0) {
                throw new IllegalStateException("Set Buffer Length is for players");
            }
            return new RtmpClientConfig(this);
        }
    }
}
