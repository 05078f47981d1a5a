package io.github.rtmpedge.config;

import java.util.Objects;

/**
 * An address to listen on: {@code host} is an IP literal or name ({@code 0.0.0.0} for every
 * interface), {@code port} 0..65535 (0 asks the OS for a free port).
 */
public record ListenAddress(String host, int port) {

    /** The host used when only a port is given. */
    public static final String ANY_HOST = "0.0.0.0";

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }

    /** {@code host:port}, the host in brackets when it is an IPv6 literal. */
    @Override
    public String toString() {
        return HostPortParser.format(host, port);
    }
}
