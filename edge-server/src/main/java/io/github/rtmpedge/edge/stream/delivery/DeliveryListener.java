package io.github.rtmpedge.edge.stream.delivery;

/** What a {@link Delivery} tells the session it serves. Called on the subscriber's event loop. */
public interface DeliveryListener {

    /** The source went away; {@code notify}: tell the peer. What was held has been written. */
    void sourceEnded(boolean notify);

    /** The peer cannot keep up; delivery has stopped. */
    void tooSlow(String reason);

    /** The stream cannot be served. What was held has been written. */
    void streamFailed(String reason);
}
