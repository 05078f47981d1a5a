package io.github.rtmpedge.config;

import java.util.Objects;

/** An origin server an edge connects to: {@code host} (IP literal or name), {@code port} 1..65535. */
public record OriginAddress(String host, int port) {

    /** The port used when an origin entry has none (RTMP's registered port). */
    public static final int DEFAULT_PORT = 1935;

    public OriginAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
    }

    /** {@code host:port}, the host in brackets when it is an IPv6 literal. */
    @Override
    public String toString() {
        return HostPortParser.format(host, port);
    }
}
