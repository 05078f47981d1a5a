package io.github.rtmpedge.config;

/**
 * {@code log_format}: how each log event is written to the console. {@link #TEXT} is one readable
 * line; {@link #JSON} is one JSON object per line (JSON Lines) with the same fields, for log
 * pipelines (Kubernetes, Loki, Elasticsearch). Read at start-up; a change needs a restart.
 */
public enum LogFormat {
    TEXT,
    JSON
}
