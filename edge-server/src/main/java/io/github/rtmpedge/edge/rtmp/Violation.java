package io.github.rtmpedge.edge.rtmp;

/** A request or message an RTMP client may not send, refused or ignored after the handshake. */
public enum Violation {
    /** More commands than limits.max_commands_per_second (and the burst) allow. */
    COMMAND_FLOOD,
    /** A command where the session does not allow it: before connect, a second connect. */
    OUT_OF_ORDER,
    /** A publish of a stream that already has a publisher. */
    STREAM_BUSY,
    /** A message type the server does not know (ignored). */
    UNKNOWN_MESSAGE,
    /** A publisher's media time ran ahead of the wall clock by more than limits.publish_lead_warn. */
    PUBLISH_AHEAD,
    /** A player left more than limits.ack_warn_windows acknowledgement windows unacknowledged. */
    ACK_STALLED
}
