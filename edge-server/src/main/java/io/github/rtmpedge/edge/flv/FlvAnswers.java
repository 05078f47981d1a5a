package io.github.rtmpedge.edge.flv;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The HTTP answers of the HTTP-FLV listener: the live stream's head, CORS, and short errors. */
final class FlvAnswers {

    static final String FLV_TYPE = "video/x-flv";
    static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";

    private FlvAnswers() {}

    /**
     * The head of a live FLV body: chunked for HTTP/1.1, unframed for HTTP/1.0 (it ends when the
     * connection closes). The connection closes after the stream either way.
     */
    static HttpResponse streamHead(HttpVersion version, boolean crossDomain) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, FLV_TYPE);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (chunked(version)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        cors(h, crossDomain);
        return head;
    }

    /** What a HEAD of a playable stream answers: the head a GET would get, without a body. */
    static FullHttpResponse headOnly(boolean crossDomain) {
        FullHttpResponse r =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, FLV_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        cors(r.headers(), crossDomain);
        return r;
    }

    static boolean chunked(HttpVersion version) {
        return !HttpVersion.HTTP_1_0.equals(version);
    }

    /** A CORS preflight's answer (Fetch standard, CORS protocol): any origin may GET and HEAD. */
    static FullHttpResponse preflight() {
        FullHttpResponse r =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        cors(r.headers(), true);
        r.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        return r;
    }

    /** A short plain-text error, with CORS headers so that a page can read why. */
    static FullHttpResponse error(HttpResponseStatus status, String why, boolean crossDomain) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (status.code() == HttpResponseStatus.METHOD_NOT_ALLOWED.code()) {
            r.headers().set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
        }
        cors(r.headers(), crossDomain);
        return r;
    }

    private static void cors(HttpHeaders h, boolean crossDomain) {
        if (crossDomain) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
    }
}
