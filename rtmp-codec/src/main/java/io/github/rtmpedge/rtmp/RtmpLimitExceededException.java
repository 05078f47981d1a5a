package io.github.rtmpedge.rtmp;

/**
 * Input exceeded a configured limit (message length, bytes buffered, chunk streams, AMF depth...).
 * Raised before anything is allocated for the offending input.
 */
public final class RtmpLimitExceededException extends RtmpCodecException {

    private final String limit;
    private final long allowed;
    private final long actual;

    public RtmpLimitExceededException(String limit, long allowed, long actual) {
        super(limit + " exceeded: " + actual + " > " + allowed);
        this.limit = limit;
        this.allowed = allowed;
        this.actual = actual;
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
