package io.github.rtmpedge.edge.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Why an HTTP listener answered a request with an error and closed its connection. */
@SuppressWarnings("ImmutableEnumChecker") // HttpResponseStatus constants are immutable
public enum HttpRefusal {
    /** The request line is longer than http_limits.max_uri_length. */
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG),
    /** The headers hold more than http_limits.max_header_size bytes (RFC 6585 section 5). */
    HEADER_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
    /** Not HTTP/1.x, or malformed. */
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST),
    /** The request did not arrive whole within http_limits.request_timeout. */
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT);

    private final HttpResponseStatus status;

    HttpRefusal(HttpResponseStatus status) {
        this.status = status;
    }

    public HttpResponseStatus status() {
        return status;
    }
}
