package io.github.rtmpedge.edge.proxy;

import io.netty.channel.Channel;

/**
 * A listener's connection limit as the gate sees it. A trusted load balancer's connection is held at
 * the gate until its header names the client; it takes one of the listener's slots from the start,
 * so held connections count like any other, and the gate hands that slot on to the listener's first
 * handler, which then does not take another.
 */
public interface ConnectionLimit {

    /**
     * Takes a slot for {@code channel}; when none is left, counts and logs the refusal exactly as the
     * listener's first handler does, and returns false (the caller closes the connection).
     */
    boolean tryOpen(Channel channel);

    /** Gives back the slot of a connection that closed before it was handed on. */
    void closed();

    /**
     * Whether the gate took {@code channel}'s slot and handed it on: the listener's first handler
     * owns it from then on (gives it back on close) and must not take another. On the channel's loop.
     */
    static boolean handedOn(Channel channel) {
        return Boolean.TRUE.equals(
                channel.attr(ProxyProtocolHandler.SLOT_HANDED_ON).get());
    }
}
