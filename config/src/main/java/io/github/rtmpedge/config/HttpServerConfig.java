package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP-FLV server ({@code http_server}) and the limits both HTTP listeners (it and the API
 * port) apply to what clients send them ({@code http_limits}, {@code http_api.max_connections}).
 *
 * @param enabled whether HTTP-FLV is served (SRS {@code http_server.enabled})
 * @param listen where it listens (SRS {@code http_server.listen})
 * @param maxConnections most connections the HTTP-FLV listener holds at once; further ones are refused
 * @param crossDomain whether answers carry CORS headers, so that a page elsewhere may play (SRS
 *     {@code http_server.crossdomain})
 * @param flv whether streams are served as FLV (SRS's vhost {@code http_remux.enabled})
 * @param mount where a stream is served (SRS's vhost {@code http_remux.mount})
 * @param limits what either HTTP listener accepts from a client
 */
public record HttpServerConfig(
        boolean enabled,
        ListenAddress listen,
        int maxConnections,
        boolean crossDomain,
        boolean flv,
        FlvMount mount,
        HttpLimits limits) {

    /**
     * What either HTTP listener accepts from a client.
     *
     * @param maxUriLength longest request line (method, URI, version) accepted; longer is answered 414
     * @param maxHeaderSize most bytes of request headers accepted; more is answered 431
     * @param requestTimeout a request must arrive whole this long after its first byte (or after the
     *     connection opened); else 408 and closed
     * @param keepAliveTimeout a kept-alive connection with no new request this long is closed
     * @param apiMaxConnections most connections the HTTP API port holds at once
     */
    public record HttpLimits(
            int maxUriLength,
            int maxHeaderSize,
            Duration requestTimeout,
            Duration keepAliveTimeout,
            int apiMaxConnections) {

        public HttpLimits {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        }
    }

    public HttpServerConfig {
        Objects.requireNonNull(listen, ConfigKey.HTTP_SERVER_LISTEN.path());
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(limits, "limits");
    }

    /** reference.conf's defaults: off. */
    public static HttpServerConfig defaults() {
        return new HttpServerConfig(
                false,
                new ListenAddress("0.0.0.0", 8080),
                10_000,
                true,
                true,
                FlvMount.parse(FlvMount.DEFAULT),
                new HttpLimits(4096, 8192, Duration.ofSeconds(10), Duration.ofSeconds(15), 128));
    }
}
