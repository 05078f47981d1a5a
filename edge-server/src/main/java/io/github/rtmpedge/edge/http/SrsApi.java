package io.github.rtmpedge.edge.http;

import io.github.rtmpedge.edge.api.Snapshots;
import io.github.rtmpedge.edge.json.Json;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * SRS's HTTP API v1 as operators' scripts and consoles use it: {@code /api/v1/versions},
 * {@code /api/v1/summaries}, {@code /api/v1/streams[/{id}]}, {@code /api/v1/clients[/{id}]} and
 * {@code DELETE /api/v1/clients/{id}}. Every answer is SRS's envelope, {@code {"code":0,
 * "server":…,"service":…,"pid":…, …}}; an unknown stream or client is an HTTP 200 with SRS's
 * error code ({@code {"code":2048}} and {@code {"code":2049}}), as SRS answers.
 */
final class SrsApi {

    /** SRS's ERROR_RTMP_STREAM_NOT_FOUND. */
    static final int STREAM_NOT_FOUND = 2048;
    /** SRS's ERROR_RTMP_CLIENT_NOT_FOUND. */
    static final int CLIENT_NOT_FOUND = 2049;

    static final String STREAMS = "/api/v1/streams";
    static final String CLIENTS = "/api/v1/clients";

    /** An answer: its HTTP status and JSON body. */
    record Answer(HttpResponseStatus status, String json) {
        static Answer ok(Map<String, Object> document) {
            return new Answer(HttpResponseStatus.OK, Json.write(document));
        }
    }

    private final HttpApi api;

    SrsApi(HttpApi api) {
        this.api = api;
    }

    /** Whether {@code path} is one of ours. */
    static boolean handles(String path) {
        return path.equals("/api/v1/versions")
                || path.equals("/api/v1/summaries")
                || path.equals(STREAMS)
                || path.startsWith(STREAMS + "/")
                || path.equals(CLIENTS)
                || path.startsWith(CLIENTS + "/");
    }

    /**
     * The answer to a GET or HEAD (any other method is the caller's: a DELETE of a client goes
     * to {@link #kick} behind the state-changing guard).
     */
    CompletableFuture<Answer> get(FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals("/api/v1/versions")) {
            return done(envelope("data", api.versions()));
        }
        if (path.equals("/api/v1/summaries")) {
            return done(envelope("data", api.summaries()));
        }
        boolean streams = path.startsWith(STREAMS);
        String id = rest(path, streams ? STREAMS : CLIENTS);
        var all = streams ? api.streams() : api.clients();
        return all.thenApply(list -> {
            if (id.isEmpty()) {
                int start = number(uri, "start", 0);
                int count = number(uri, "count", 10);
                return Answer.ok(envelope(streams ? "streams" : "clients", Snapshots.page(list, start, count)));
            }
            for (Map<String, Object> item : list) {
                if (id.equals(item.get("id"))) {
                    return Answer.ok(envelope(streams ? "stream" : "client", item));
                }
            }
            return code(streams ? STREAM_NOT_FOUND : CLIENT_NOT_FOUND);
        });
    }

    /** {@code DELETE /api/v1/clients/{id}} (the caller has checked the requester may). */
    CompletableFuture<Answer> kick(String path, String requester) {
        String id = path.startsWith(CLIENTS) ? rest(path, CLIENTS) : "";
        if (id.isEmpty()) {
            return done(code(CLIENT_NOT_FOUND));
        }
        return api.kick(id, requester)
                .thenApply(kicked -> kicked ? Answer.ok(envelope(null, null)) : code(CLIENT_NOT_FOUND));
    }

    /** Whether a DELETE of {@code path} names a client. */
    static boolean isKick(HttpMethod method, String path) {
        return HttpMethod.DELETE.equals(method) && path.startsWith(CLIENTS + "/");
    }

    private Map<String, Object> envelope(String name, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", 0);
        out.putAll(api.identity());
        if (name != null) {
            out.put(name, value);
        }
        return out;
    }

    /** SRS's answer for an error: an HTTP 200 whose body is only the code. */
    static Answer code(int code) {
        return new Answer(HttpResponseStatus.OK, Json.write(Map.of("code", code)));
    }

    private static CompletableFuture<Answer> done(Map<String, Object> document) {
        return CompletableFuture.completedFuture(Answer.ok(document));
    }

    private static CompletableFuture<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    /** What follows {@code prefix/} in {@code path}, without a trailing slash; empty for the list. */
    private static String rest(String path, String prefix) {
        String rest = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
        return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }

    private static int number(QueryStringDecoder uri, String name, int fallback) {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(Objects.requireNonNull(values.get(0)).trim());
        } catch (NumberFormatException e) {
            return fallback; // SRS reads it with atoi: anything else is 0, then its bounds apply
        }
    }
}
