package io.github.rtmpedge.config;

/** {@code log_level}: the root log level; changes on reload (SIGHUP) without a restart. */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF;

    /**
     * SRS's {@code srs_log_level} words, most verbose first: verbose, info, trace (SRS's default),
     * warn, error. SRS's "trace" is everyday operation, our info.
     */
    static String fromSrs(String srs) {
        return switch (srs) {
            case "verbose" -> "trace";
            case "info" -> "debug";
            case "trace" -> "info";
            default -> srs; // warn, error; anything else fails validation with the usual message
        };
    }
}
