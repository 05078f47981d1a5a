package io.github.rtmpedge.edge.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of an HTTP hook, with SRS's field names.
 *
 * @param action   on_connect, on_publish, on_unpublish, on_play or on_stop
 * @param clientId our id of the connection
 * @param ip       the client's address
 * @param app      the app, without its query
 * @param stream   the stream name without its query; empty for on_connect
 * @param param    the stream's query with its '?' (SRS sends it so), or empty; may hold a token
 * @param tcUrl    from the client's connect
 * @param pageUrl  from the client's connect, or empty
 */
public record HookEvent(
        String action,
        String clientId,
        String ip,
        String app,
        String stream,
        String param,
        String tcUrl,
        String pageUrl) {

    /** SRS's name of the default virtual host; we have no virtual hosts. */
    public static final String DEFAULT_VHOST = "__defaultVhost__";

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", action);
        out.put("client_id", clientId);
        out.put("ip", ip);
        out.put("vhost", DEFAULT_VHOST);
        out.put("app", app);
        if (!action.equals("on_connect")) {
            out.put("stream", stream);
            out.put("param", param);
        }
        out.put("tcUrl", tcUrl == null ? "" : tcUrl);
        out.put("pageUrl", pageUrl == null ? "" : pageUrl);
        return out;
    }

    /** For log lines: no query, no token. */
    @Override
    public String toString() {
        return action + " " + app + (stream.isEmpty() ? "" : "/" + stream) + " from " + ip;
    }
}
