package io.github.rtmpedge.edge.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the HTTP port serves, supplied by the server. */
public interface HttpApi {

    /** Ready for new connections (false from the first moment of a drain). */
    boolean ready();

    /** The readiness answer's body when not ready, e.g. the drain phase. */
    String notReadyReason();

    /** SRS's envelope fields every answer starts with: {@code server}, {@code service}, {@code pid}. */
    Map<String, Object> identity();

    /** {@code /api/v1/versions}: SRS's {@code data} object (major, minor, revision, version). */
    Map<String, Object> versions();

    /** {@code /api/v1/summaries}: SRS's {@code data} object, with ours beside it. */
    Map<String, Object> summaries();

    /** {@code /api/v1/streams}: one object per live stream; completes off the HTTP loop's back. */
    CompletableFuture<List<Map<String, Object>>> streams();

    /** {@code /api/v1/clients}: one object per client connection; completes off the HTTP loop's back. */
    CompletableFuture<List<Map<String, Object>>> clients();

    /** {@code DELETE /api/v1/clients/{id}}: completes true once the client was told to go, false if unknown. */
    CompletableFuture<Boolean> kick(String clientId, String requester);

    /** {@code POST /api/v1/drain}: start the graceful quit. */
    void requestDrain(String requester);

    /**
     * {@code POST /api/v1/reload}: what SIGHUP does (reload the configuration file, apply what can
     * change live). May block on file I/O: called off the HTTP loop.
     *
     * @return whether the new configuration was accepted (else the running one stays in force)
     */
    boolean reload(String requester);
}
