package io.github.rtmpedge.edge.stream;

/** How a client connection speaks to us: the {@code protocol} label of the connection and traffic meters. */
public enum Protocol {
    /** RTMP: clients on the RTMP listeners, and our own connections to origins. */
    RTMP,
    /** HTTP-FLV players on the http_server listener. */
    HTTP_FLV
}
