package io.github.rtmpedge.edge.stream;

import java.util.Objects;

/**
 * Identifies a live stream: application and stream name, both without their query. The query
 * ({@code ?token=…}) is not part of the key; it travels beside it to the origin.
 */
public record StreamKey(String app, String name) {

    public StreamKey {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
