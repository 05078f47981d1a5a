package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.command.StreamName;

/** Forwards a stream published on this edge to an origin (publish edge). */
public interface PublishForwarder {

    /** Starts forwarding {@code stream}, published as {@code name} in {@code app} (with its query). */
    Forward start(LiveStream stream, String app, StreamName name);

    /** A running forward. */
    interface Forward {
        /** The publisher is gone: finish and close the upstream connection. */
        void stop();
    }
}
