package io.github.rtmpedge.config;

import java.util.Objects;

/** The HTTP API ({@code http_api}): whether it runs, and where it listens. */
public record HttpApiConfig(boolean enabled, ListenAddress listen) {

    public HttpApiConfig {
        Objects.requireNonNull(listen, "listen");
    }
}
