package io.github.rtmpedge.edge.stream;

/**
 * What a connection does for the live streams: the one role enum of the server, for clients and
 * for our own connections to origins. A client connection publishes or plays one stream at a time.
 */
public enum Role {
    /** A client connection before it publishes or plays (handshake, connect). */
    NONE,
    /** A client that is a stream's source. */
    PUBLISHER,
    /** A client that receives a stream (RTMP or HTTP-FLV). */
    PLAYER,
    /** Our connection pulling a stream from an origin (play edge): a stream's source. */
    UPSTREAM_PULL,
    /** Our connection forwarding a stream published here to an origin (publish edge): a subscriber. */
    UPSTREAM_PUSH
}
