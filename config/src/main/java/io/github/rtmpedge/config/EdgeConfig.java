package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

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
        SecurityConfig security) {

    /** Without a {@code security} section: everyone may publish and play. */
    public EdgeConfig(List<ListenAddress> listen, int maxConnections, int chunkSize, Duration handshakeTimeout,
            Duration idleTimeout, Duration queueLength, long queueMaxBytes, boolean gopCache, long gopCacheMaxBytes,
            Duration mwLatency, ClusterConfig cluster, HttpApiConfig httpApi, LimitsConfig limits, List<String> warnings, GraceConfig grace,
            LogLevel logLevel, LogFormat logFormat) {
        this(listen, maxConnections, chunkSize, handshakeTimeout, idleTimeout, queueLength, queueMaxBytes, gopCache,
                gopCacheMaxBytes, mwLatency, cluster, httpApi, limits, warnings, grace, logLevel, logFormat,
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
    }

    /**
     * The effective configuration as one line of HOCON, for the start-up log; loading it back
     * gives an equal configuration (warnings aside, and the secrets: {@code http_api.drain_token}
     * and {@code security.token_secrets}, printed as {@code "(redacted)"} when set, and the user
     * info and query of hook URLs, printed as {@code ***}).
     */
    public String render() {
        ClusterConfig c = cluster;
        RetryConfig r = c.retry();
        GraceConfig g = grace;
        return "log_level = " + logLevel.name().toLowerCase(java.util.Locale.ROOT)
                + ", log_format = " + logFormat.name().toLowerCase(java.util.Locale.ROOT)
                + ", listen = " + quotedList(listen)
                + ", max_connections = " + maxConnections
                + ", chunk_size = " + chunkSize
                + ", handshake_timeout = " + duration(handshakeTimeout)
                + ", idle_timeout = " + duration(idleTimeout)
                + ", queue_length = " + duration(queueLength)
                + ", queue_max_bytes = " + bytes(queueMaxBytes)
                + ", gop_cache = " + onOff(gopCache)
                + ", gop_cache_max_bytes = " + bytes(gopCacheMaxBytes)
                + ", mw_latency = " + duration(mwLatency)
                + ", grace_start_wait = " + duration(g.startWait())
                + ", grace_final_wait = " + duration(g.finalWait())
                + ", force_grace_quit = " + onOff(g.forceGraceQuit())
                + ", drain_timeout = " + duration(g.drainTimeout())
                + ", drain_spread = " + duration(g.drainSpread())
                + ", cluster { mode = " + c.mode().name().toLowerCase(java.util.Locale.ROOT)
                + ", origin = " + quotedList(c.origins())
                + ", origin_selection = " + c.originSelection().name().toLowerCase(java.util.Locale.ROOT)
                + ", connect_timeout = " + duration(c.connectTimeout())
                + ", play_timeout = " + duration(c.playTimeout())
                + ", retry { initial_backoff = " + duration(r.initialBackoff())
                + ", max_backoff = " + duration(r.maxBackoff())
                + ", multiplier = " + r.multiplier()
                + ", jitter = " + r.jitter() + " }"
                + ", idle_close = " + duration(c.idleClose())
                + ", publish_replay_max_bytes = " + bytes(c.publishReplayMaxBytes())
                + ", upstream_lost_timeout = " + duration(c.upstreamLostTimeout()) + " }"
                + ", http_api { enabled = " + onOff(httpApi.enabled())
                + ", listen = \"" + httpApi.listen() + "\""
                + ", drain_token = \"" + (httpApi.hasDrainToken() ? HttpApiConfig.REDACTED : "") + "\" }"
                + ", limits { max_message_length = " + bytes(limits.maxMessageLength())
                + ", max_partial_bytes = " + bytes(limits.maxPartialBytes())
                + ", max_chunk_streams = " + limits.maxChunkStreams()
                + ", amf_max_depth = " + limits.amfMaxDepth()
                + ", amf_max_string_length = " + bytes(limits.amfMaxStringLength())
                + ", amf_max_elements = " + limits.amfMaxElements()
                + ", min_chunk_size = " + limits.minChunkSize()
                + ", max_commands_per_second = " + limits.maxCommandsPerSecond()
                + ", command_burst = " + limits.commandBurst()
                + ", publish_lead_warn = " + duration(limits.publishLeadWarn())
                + ", publish_lead_max = " + duration(limits.publishLeadMax())
                + ", ack_warn_windows = " + limits.ackWarnWindows()
                + ", ack_max_windows = " + limits.ackMaxWindows() + " }"
                + ", security { " + renderSecurity(security) + " }";
    }

    private static String renderSecurity(SecurityConfig s) {
        StringBuilder out = new StringBuilder()
                .append("token_secrets = ").append(s.tokenSecrets().isEmpty() ? "[]"
                        : "[" + String.join(", ", java.util.Collections.nCopies(s.tokenSecrets().size(),
                                "\"" + SecurityConfig.REDACTED + "\"")) + "]")
                .append(", token_clock_skew = ").append(duration(s.tokenClockSkew()))
                .append(", hook_timeout = ").append(duration(s.hookTimeout()))
                .append(", hook_fail_open = ").append(onOff(s.hookFailOpen()))
                .append(", ").append(renderRules(s.defaults()))
                .append(", apps {");
        List<String> apps = new java.util.ArrayList<>();
        s.apps().forEach((app, rules) -> apps.add(com.typesafe.config.ConfigUtil.quoteString(app) + " { " + renderRules(rules) + " }"));
        return out.append(apps.isEmpty() ? "}" : " " + String.join(", ", apps) + " }").toString();
    }

    private static String renderRules(SecurityConfig.AppRules rules) {
        SecurityConfig.HookUrls h = rules.hooks();
        return "publish { " + renderAccess(rules.publish()) + " }, play { " + renderAccess(rules.play()) + " }"
                + ", http_hooks { on_connect = " + quotedList(SecurityConfig.printable(h.onConnect()))
                + ", on_publish = " + quotedList(SecurityConfig.printable(h.onPublish()))
                + ", on_unpublish = " + quotedList(SecurityConfig.printable(h.onUnpublish()))
                + ", on_play = " + quotedList(SecurityConfig.printable(h.onPlay()))
                + ", on_stop = " + quotedList(SecurityConfig.printable(h.onStop())) + " }";
    }

    private static String renderAccess(SecurityConfig.AccessRule rule) {
        return "allow = " + quotedList(rule.allow()) + ", deny = " + quotedList(rule.deny()) + ", token = " + onOff(rule.token());
    }

    /** Same as {@link #render()}. */
    @Override
    public String toString() {
        return render();
    }

    private static String quotedList(List<?> items) {
        return items.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String onOff(boolean value) {
        return value ? "on" : "off";
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
