package io.github.rtmpedge.edge.http;

import java.util.Map;

/** What the HTTP port serves, supplied by the server. */
public interface HttpApi {

    /** Ready for new connections (false from the first moment of a drain). */
    boolean ready();

    /** The readiness answer's body when not ready, e.g. the drain phase. */
    String notReadyReason();

    /** {@code /api/v1/summaries}. */
    Map<String, Object> summaries();

    /** {@code POST /api/v1/drain}: start the graceful quit. */
    void requestDrain(String requester);
}
