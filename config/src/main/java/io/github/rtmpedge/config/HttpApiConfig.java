package io.github.rtmpedge.config;

import java.util.Objects;

/**
 * The HTTP API ({@code http_api}): whether it runs, where it listens, and the bearer token that
 * lets a non-loopback client request a drain.
 *
 * @param enabled whether the HTTP API runs
 * @param listen where it listens
 * @param drainToken bearer token that allows {@code POST /api/v1/drain} from non-loopback
 *     addresses; empty = loopback only. A secret: {@link #toString()} redacts it.
 * @param appLabel whether /metrics also counts players, publishers and their bytes by app
 *     ({@code http_api.metrics_app_label})
 * @param appLabelMax how many distinct apps get their own label value; the rest count as
 *     {@code other} ({@code http_api.metrics_app_label_max})
 */
public record HttpApiConfig(
        boolean enabled, ListenAddress listen, String drainToken, boolean appLabel, int appLabelMax) {

    /** What {@code http_api.metrics_app_label_max} defaults to. */
    public static final int DEFAULT_APP_LABEL_MAX = 20;

    /** Without the app label (its default). */
    public HttpApiConfig(boolean enabled, ListenAddress listen, String drainToken) {
        this(enabled, listen, drainToken, false, DEFAULT_APP_LABEL_MAX);
    }

    /** What {@link #toString()} and {@link EdgeConfig#render()} print instead of a drain token. */
    static final String REDACTED = "(redacted)";

    public HttpApiConfig {
        Objects.requireNonNull(listen, ConfigKey.HTTP_API_LISTEN.path());
        Objects.requireNonNull(drainToken, "drainToken");
    }

    /** Whether a drain token is set (else only loopback clients may request a drain). */
    public boolean hasDrainToken() {
        return !drainToken.isEmpty();
    }

    /** Like the record's own, but the drain token is redacted. */
    @Override
    public String toString() {
        return "HttpApiConfig[enabled=" + enabled + ", listen=" + listen + ", drainToken="
                + (drainToken.isEmpty() ? "" : REDACTED) + ", appLabel=" + appLabel + ", appLabelMax=" + appLabelMax
                + "]";
    }
}
