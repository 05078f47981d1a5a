package io.github.rtmpedge.edge.proxy;

/** Why a connection was refused at its PROXY header; a tag value of rtmp_proxy_protocol_rejected_total. */
public enum ProxyRejection {
    /** A trusted peer's connection began with something else than a PROXY header. */
    MISSING,
    /** A trusted peer's PROXY header could not be read (a bad signature, field or length). */
    MALFORMED,
    /** A trusted peer's header had not arrived in time. */
    TIMEOUT,
    /** A PROXY header from a peer that is not a trusted load balancer: it may not name a client. */
    UNTRUSTED
}
