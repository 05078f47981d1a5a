package io.github.rtmpedge.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The PROXY protocol (v1 and v2) on the client listeners ({@code proxy_protocol}): a connection
 * from a trusted address must begin with a PROXY header naming the real client; one from any other
 * address is a direct client, and a PROXY header from it is refused.
 *
 * @param enabled whether the listeners look for PROXY headers at all
 * @param trusted the load balancers' addresses: only connections from these may (and must) carry a
 *     header
 */
public record ProxyProtocolConfig(boolean enabled, List<CidrBlock> trusted) {

    public ProxyProtocolConfig {
        trusted = List.copyOf(trusted);
    }

    /** reference.conf's defaults: off, nobody trusted. */
    public static ProxyProtocolConfig defaults() {
        return new ProxyProtocolConfig(false, List.of());
    }

    /** Whether a connection from {@code peer} must begin with a PROXY header. */
    public boolean trusts(InetAddress peer) {
        for (CidrBlock block : trusted) {
            if (block.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
