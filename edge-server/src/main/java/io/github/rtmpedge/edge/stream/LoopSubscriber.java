package io.github.rtmpedge.edge.stream;

import io.netty.channel.EventLoop;

/**
 * A subscriber that lives on an event loop of its own (a player's connection). A stream hands
 * frames to all its subscribers on one loop at once ({@link LoopFanOut}): one queue entry and one
 * task per loop and batch, not per subscriber; {@link #deliver} is then not called.
 */
public interface LoopSubscriber extends Subscriber {

    /** The loop every call below is made on. */
    EventLoop loop();

    /** A frame for this subscriber; retain it to keep it past the call. */
    void accept(MediaFrame frame);

    /** Write what was accepted (and flush). */
    void send();

    /**
     * True: writes may wait for the loop's merged-write timer ({@code mw_latency}); false: every
     * batch is sent at once (an upstream push).
     */
    boolean mergesWrites();
}
