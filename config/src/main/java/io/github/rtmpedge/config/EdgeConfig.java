package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated, immutable configuration of the edge server. Built by {@link EdgeConfigLoader};
 * every value has passed the checks {@code reference.conf} documents. Sizes are bytes.
 *
 * @param listen RTMP listen addresses, at least one, no duplicates ({@code listen})
 * @param maxConnections most client connections at once ({@code max_connections})
 * @param chunkSize outbound chunk size ({@code chunk_size})
 * @param handshakeTimeout time to complete the RTMP handshake, positive
 * @param idleTimeout close a connection silent this long; zero = off
 * @param queueLength per-player backlog in media time, positive
 * @param queueMaxBytes per-player backlog memory cap
 * @param gopCache whether late joiners get the GOP since the last keyframe
 * @param gopCacheMaxBytes one stream's GOP cache memory cap
 * @param mwLatency merged write: how long a player's media may wait to be written with what
 *     follows ({@code mw_latency}); zero = write every message batch at once
 * @param cluster origin/edge settings
 * @param httpApi the HTTP API
 * @param limits hostile-input limits of the decoder
 * @param warnings things that are allowed but probably not meant, and SRS directives that were
 *     ignored (for the start-up log)
 * @param grace graceful quit: the waits around the drain and its bound
 * @param logLevel the root log level ({@code log_level})
 * @param logFormat plain text or JSON lines on the console ({@code log_format})
 * @param security who may publish and play: CIDR lists, signed tokens, HTTP hooks ({@code security})
 * @param httpServer HTTP-FLV ({@code http_server}) and the limits of both HTTP listeners
 * @param proxyProtocol the PROXY protocol on the client listeners ({@code proxy_protocol})
 */
public record EdgeConfig(
        List<ListenAddress> listen,
        int maxConnections,
        int chunkSize,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration queueLength,
        long queueMaxBytes,
        boolean gopCache,
        long gopCacheMaxBytes,
        Duration mwLatency,
        ClusterConfig cluster,
        HttpApiConfig httpApi,
        LimitsConfig limits,
        List<String> warnings,
        GraceConfig grace,
        LogLevel logLevel,
        LogFormat logFormat,
        SecurityConfig security,
        HttpServerConfig httpServer,
        ProxyProtocolConfig proxyProtocol) {

    /** Without a {@code proxy_protocol} section: no PROXY headers looked for. */
    public EdgeConfig(
            List<ListenAddress> listen,
            int maxConnections,
            int chunkSize,
            Duration handshakeTimeout,
            Duration idleTimeout,
            Duration queueLength,
            long queueMaxBytes,
            boolean gopCache,
            long gopCacheMaxBytes,
            Duration mwLatency,
            ClusterConfig cluster,
            HttpApiConfig httpApi,
            LimitsConfig limits,
            List<String> warnings,
            GraceConfig grace,
            LogLevel logLevel,
            LogFormat logFormat,
            SecurityConfig security,
            HttpServerConfig httpServer) {
        this(
                listen,
                maxConnections,
                chunkSize,
                handshakeTimeout,
                idleTimeout,
                queueLength,
                queueMaxBytes,
                gopCache,
                gopCacheMaxBytes,
                mwLatency,
                cluster,
                httpApi,
                limits,
                warnings,
                grace,
                logLevel,
                logFormat,
                security,
                httpServer,
                ProxyProtocolConfig.defaults());
    }

    /** Without an {@code http_server} section: no HTTP-FLV, the default HTTP limits. */
    public EdgeConfig(
            List<ListenAddress> listen,
            int maxConnections,
            int chunkSize,
            Duration handshakeTimeout,
            Duration idleTimeout,
            Duration queueLength,
            long queueMaxBytes,
            boolean gopCache,
            long gopCacheMaxBytes,
            Duration mwLatency,
            ClusterConfig cluster,
            HttpApiConfig httpApi,
            LimitsConfig limits,
            List<String> warnings,
            GraceConfig grace,
            LogLevel logLevel,
            LogFormat logFormat,
            SecurityConfig security) {
        this(
                listen,
                maxConnections,
                chunkSize,
                handshakeTimeout,
                idleTimeout,
                queueLength,
                queueMaxBytes,
                gopCache,
                gopCacheMaxBytes,
                mwLatency,
                cluster,
                httpApi,
                limits,
                warnings,
                grace,
                logLevel,
                logFormat,
                security,
                HttpServerConfig.defaults());
    }

    /** Without a {@code security} section: everyone may publish and play. */
    public EdgeConfig(
            List<ListenAddress> listen,
            int maxConnections,
            int chunkSize,
            Duration handshakeTimeout,
            Duration idleTimeout,
            Duration queueLength,
            long queueMaxBytes,
            boolean gopCache,
            long gopCacheMaxBytes,
            Duration mwLatency,
            ClusterConfig cluster,
            HttpApiConfig httpApi,
            LimitsConfig limits,
            List<String> warnings,
            GraceConfig grace,
            LogLevel logLevel,
            LogFormat logFormat) {
        this(
                listen,
                maxConnections,
                chunkSize,
                handshakeTimeout,
                idleTimeout,
                queueLength,
                queueMaxBytes,
                gopCache,
                gopCacheMaxBytes,
                mwLatency,
                cluster,
                httpApi,
                limits,
                warnings,
                grace,
                logLevel,
                logFormat,
                SecurityConfig.open());
    }

    public EdgeConfig {
        listen = List.copyOf(listen);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(queueLength, "queueLength");
        Objects.requireNonNull(mwLatency, "mwLatency");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(httpApi, "httpApi");
        Objects.requireNonNull(limits, "limits");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(httpServer, "httpServer");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /**
     * The effective configuration as one line of HOCON, for the start-up log; loading it back
     * gives an equal configuration (warnings aside, and the secrets: {@code http_api.drain_token}
     * and {@code security.token_secrets}, printed as {@code "(redacted)"} when set, and the user
     * info and query of hook URLs, printed as {@code ***}).
     */
    public String render() {
        return ConfigRenderer.render(this);
    }

    /** Same as {@link #render()}. */
    @Override
    public String toString() {
        return render();
    }

    /** The largest unit that keeps the value whole: {@code 500ms}, {@code 15s}, {@code 1m}. */
    static String duration(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.toSeconds() + "s";
        }
        if (nanos == 0) {
            return "0s";
        }
        String[] units = {"h", "m", "s", "ms", "us"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }

    /** The largest binary unit that keeps the value whole: {@code 16MiB}, {@code 1000B}. */
    static String bytes(long value) {
        if (value == 0) {
            return "0B";
        }
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (value % sizes[i] == 0) {
                return value / sizes[i] + units[i];
            }
        }
        return value + "B";
    }
}
