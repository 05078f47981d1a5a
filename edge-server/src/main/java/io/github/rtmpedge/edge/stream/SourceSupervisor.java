package io.github.rtmpedge.edge.stream;

/**
 * Decides where a stream's media comes from when players want it: nothing to do for a standalone
 * origin (players wait for a publisher), an upstream pull for a play edge. Called on the stream's
 * event loop.
 */
public interface SourceSupervisor {

    /** A player joined (the stream may or may not have a source). */
    void playerJoined(LiveStream stream);

    /** The last player left; a pull may stop after its idle delay. */
    void noPlayers(LiveStream stream);

    /** The stream is closing: stop whatever was started for it. */
    void streamClosed(LiveStream stream);

    /** Standalone origin: players wait for a publisher. */
    SourceSupervisor LOCAL = new SourceSupervisor() {
        @Override
        public void playerJoined(LiveStream stream) {}

        @Override
        public void noPlayers(LiveStream stream) {}

        @Override
        public void streamClosed(LiveStream stream) {}
    };
}
