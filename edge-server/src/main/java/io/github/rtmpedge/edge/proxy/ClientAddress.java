package io.github.rtmpedge.edge.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client's address of a connection: the one a trusted load balancer's PROXY header named, else
 * the connection's own peer. Every use of a client's address (the security rules, the hooks' ip,
 * the API, the logs and the access log) goes through here, so none of them sees the balancer.
 */
public final class ClientAddress {

    /** Set on the connection's loop before any session handler sees the connection; read-only after. */
    private static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("rtmp-edge.client-address");

    private ClientAddress() {}

    /** The client's address and port; null if the channel has none. */
    public static SocketAddress of(Channel channel) {
        InetSocketAddress proxied = channel.attr(PROXIED).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** The client's IP address, for the security rules; null if the channel has none. */
    public static InetAddress ip(Channel channel) {
        return of(channel) instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** The client as logs write it: {@code 10.0.0.7:50312} ({@code ?} if the channel has none). */
    public static String text(Channel channel) {
        return describe(of(channel));
    }

    /** An address without {@link InetSocketAddress}'s leading '/': {@code 10.0.0.7:50312}. */
    static String describe(SocketAddress address) {
        return address == null ? "?" : address.toString().replaceFirst("^/", "");
    }

    /** Whether a PROXY header named the client (the connection's peer is a load balancer). */
    public static boolean proxied(Channel channel) {
        return channel.attr(PROXIED).get() != null;
    }

    /** For a log line: {@code " via 10.0.0.2:41000"} (the balancer) when a PROXY header named the client, else "". */
    public static String via(Channel channel) {
        return proxied(channel) ? " via " + describe(channel.remoteAddress()) : "";
    }

    static void set(Channel channel, InetSocketAddress client) {
        channel.attr(PROXIED).set(client);
    }
}
