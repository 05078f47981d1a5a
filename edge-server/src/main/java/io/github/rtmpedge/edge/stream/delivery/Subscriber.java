package io.github.rtmpedge.edge.stream.delivery;

import io.netty.channel.EventLoop;

/**
 * A receiver of a live stream's frames: a player (RTMP or HTTP-FLV), or an upstream push. It lives
 * on an event loop of its own, and every call below is made on that loop, by the stream's
 * {@link LoopFanOut} for that loop, in the order the stream produced them.
 */
public interface Subscriber {

    /** The loop every call is made on. */
    EventLoop loop();

    /**
     * This subscriber joined its loop's group; {@code handOverKept} (on this loop) hands it, and the
     * group's other members, the frames the group keeps for the merged write, at once.
     */
    default void joined(Runnable handOverKept) {}

    /** A frame for this subscriber; retain it to keep it past the call. */
    void accept(MediaFrame frame);

    /**
     * The frames of {@code batch}, in order, as if each had come to {@link #accept}; a subscriber
     * may write the batch's shared buffer instead. Retain what is kept past the call.
     */
    default void acceptAll(FrameBatch batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            accept(batch.get(i));
        }
    }

    /** Write what was accepted (and flush). */
    void send();

    /**
     * True: writes may wait for the loop's merged-write timer ({@code mw_latency}) (players, an
     * upstream push); false: every batch is sent at once.
     */
    boolean mergesWrites();

    /**
     * The stream's source went away (a publisher unpublished, an upstream ended); {@code notify}: tell
     * the peer. Everything fanned out before has been accepted.
     */
    void sourceEnded(boolean notify);

    /** The stream cannot be served; the subscriber tells its peer and goes away. */
    void streamFailed(String reason);

    /** A short description for log lines (the remote address, the stream). */
    String describe();
}
