package io.github.rtmpedge.edge.session;

/**
 * Why a client connection closed: the first words of its close log line, and the tag of
 * {@code rtmp.connections.closed}. The first reason given wins; one the server did not give is
 * {@link #PEER_CLOSED}.
 */
public enum CloseReason {
    /** The client closed the connection (or it reset). */
    PEER_CLOSED("peer closed"),
    /** The client sent nothing for idle_timeout (players exempt). */
    IDLE("idle"),
    /** A malformed or over-limit handshake, chunk, AMF value or command sequence. */
    PROTOCOL_ERROR("protocol error"),
    /** A socket error. */
    IO_ERROR("I/O error"),
    /** A bug on our side; logged with its stack trace. */
    INTERNAL_ERROR("internal error"),
    /** More commands a second than limits.max_commands_per_second allows. */
    COMMAND_FLOOD("command flood"),
    /** Refused at connect (no app name, security rules). */
    CONNECT_REJECTED("connect rejected"),
    /** Refused at publish (empty name, stream busy, security rules). */
    PUBLISH_REJECTED("publish rejected"),
    /** Refused at play (security rules). */
    PLAY_REJECTED("play rejected"),
    /** A publisher ran further ahead of the wall clock than limits.publish_lead_max. */
    PUBLISHING_TOO_FAST("publishing faster than real time"),
    /** A player left more than limits.ack_max_windows unacknowledged. */
    NOT_ACKNOWLEDGING("not acknowledging"),
    /** A player made no progress for queue_length. */
    TOO_SLOW("too slow"),
    /** The stream it played cannot be served (its upstream stayed away). */
    STREAM_FAILED("stream failed"),
    /** Closed by a graceful quit's drain once drain_timeout passed. */
    DRAINED("drained"),
    /** Closed by an operator through the API. */
    KICKED("kicked");

    private final String label;

    CloseReason(String label) {
        this.label = label;
    }

    /** How the close line says it. */
    public String label() {
        return label;
    }

    /** The access log's {@code close_reason} field: the name in lower case ({@code too_slow}). */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
