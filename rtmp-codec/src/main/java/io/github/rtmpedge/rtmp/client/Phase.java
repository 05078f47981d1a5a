package io.github.rtmpedge.rtmp.client;

/**
 * Where a client connection stands, in order; each phase but the last two waits for one answer
 * from the server. The TCP connect before {@link #HANDSHAKE} is the caller's (bound it with the
 * Bootstrap's {@code CONNECT_TIMEOUT_MILLIS}).
 */
public enum Phase {
    /** C0+C1 sent, waiting for S0, S1, S2 (RTMP spec 5.2.5). */
    HANDSHAKE,
    /** connect sent, waiting for its {@code _result} or {@code _error} (7.2.1.1). */
    CONNECT,
    /** createStream sent, waiting for its {@code _result} (7.2.1.3). */
    CREATE_STREAM,
    /** play (7.2.2.1) or publish (7.2.2.6) sent, waiting for NetStream.Play.Start or NetStream.Publish.Start. */
    START,
    /** Playing or publishing. */
    STARTED,
    /** Failed, ended or closed; the listener has heard why. Final. */
    CLOSED;

    /** Whether the phase waits for the server and so can be bounded by a timeout. */
    public boolean awaitsServer() {
        return this != STARTED && this != CLOSED;
    }
}
