package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import java.util.Locale;
import java.util.Objects;

/**
 * A connect {@code tcUrl}, {@code scheme://host[:port]/app[/instance][?query]}: the app is the
 * first path segment, the instance the rest of the path. The query may follow the app
 * ({@code rtmp://h/live?vhost=x}) or the instance ({@code rtmp://h/app/inst?x}).
 *
 * @param port    the explicit port, or the scheme's default (1935 for rtmp, 443 for rtmps, 80 for rtmpt)
 * @param app     empty when the URL has no path
 * @param instance empty when there is none
 * @param query   without the {@code ?}; empty when there is none
 */
public record TcUrl(String scheme, String host, int port, String app, String instance, String query) {

    public TcUrl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(query, "query");
    }

    /**
     * Splits a tcUrl into its parts.
     *
     * @throws RtmpCodecException when the URL has no scheme, no host, or a bad port
     */
    public static TcUrl parse(String tcUrl) {
        int schemeEnd = tcUrl.indexOf("://");
        if (schemeEnd <= 0) {
            throw new RtmpCodecException("tcUrl '" + tcUrl + "' has no scheme");
        }
        String scheme = tcUrl.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = tcUrl.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String host = authority;
        int port = defaultPort(scheme);
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']', colon) < 0) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new RtmpCodecException("tcUrl '" + tcUrl + "' has a bad port");
            }
            if (port < 1 || port > 65_535) {
                throw new RtmpCodecException("tcUrl '" + tcUrl + "' has port " + port + " out of range");
            }
        }
        if (host.isEmpty()) {
            throw new RtmpCodecException("tcUrl '" + tcUrl + "' has no host");
        }
        int appEnd = path.indexOf('/');
        String app = appEnd < 0 ? path : path.substring(0, appEnd);
        String instance = appEnd < 0 ? "" : path.substring(appEnd + 1);
        return new TcUrl(scheme, host, port, app, instance, query);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "rtmps" -> 443;
            case "rtmpt" -> 80;
            case "rtmpts" -> 443;
            default -> 1935;
        };
    }
}
