package io.github.rtmpedge.rtmp;

/**
 * Input exceeded a configured limit (message length, bytes buffered, chunk streams, AMF depth...).
 * Raised before anything is allocated for the offending input.
 */
public final class RtmpLimitExceededException extends RtmpCodecException {

    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long allowed;
    private final long actual;

    public RtmpLimitExceededException(String limit, long allowed, long actual) {
        this(limit + " exceeded: " + actual + " > " + allowed, limit, allowed, actual);
    }

    private RtmpLimitExceededException(String message, String limit, long allowed, long actual) {
        super(message);
        this.limit = limit;
        this.allowed = allowed;
        this.actual = actual;
    }

    /** {@code actual} is below the lower limit {@code minimum} (e.g. {@code min_chunk_size}). */
    public static RtmpLimitExceededException below(String limit, long minimum, long actual) {
        return new RtmpLimitExceededException(limit + " not met: " + actual + " < " + minimum, limit, minimum, actual);
    }

    /** The limit's name, as configured (e.g. {@code max_message_length}). */
    public String limit() {
        return limit;
    }

    public long allowed() {
        return allowed;
    }

    public long actual() {
        return actual;
    }
}
