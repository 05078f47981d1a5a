package io.github.rtmpedge.rtmp.command;

import java.util.Objects;

/**
 * A stream or application name as sent in publish, play or connect, split at the first {@code ?}:
 * {@code cam1?token=abc} → name {@code cam1}, query {@code token=abc}. The name is the stream key;
 * the query is kept so that it can travel on (to an origin, to an auth hook).
 *
 * @param query without the {@code ?}; empty when there is none
 */
public record StreamName(String name, String query) {

    public StreamName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
    }

    public static StreamName parse(String raw) {
        int q = raw.indexOf('?');
        return q < 0 ? new StreamName(raw, "") : new StreamName(raw.substring(0, q), raw.substring(q + 1));
    }

    public boolean hasQuery() {
        return !query.isEmpty();
    }

    /** The name as sent: {@code name?query}, or just the name. */
    @Override
    public String toString() {
        return query.isEmpty() ? name : name + "?" + query;
    }
}
