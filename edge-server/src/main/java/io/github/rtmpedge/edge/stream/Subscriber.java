package io.github.rtmpedge.edge.stream;

/** A player of a live stream. Every call is made on the stream's event loop. */
public interface Subscriber {

    /** A frame to send; retain it to keep it past the call. */
    void deliver(MediaFrame frame);

    /** The stream's source went away (a publisher unpublished); {@code notify}: tell the player. */
    void sourceEnded(boolean notify);

    /** The stream cannot be served; the subscriber should tell its peer and go away. */
    void streamFailed(String reason);

    /** A short description for log lines (e.g. the remote address). */
    String describe();
}
