package io.github.rtmpedge.config;

import static io.github.rtmpedge.config.ConfigKey.Reload.LIVE;
import static io.github.rtmpedge.config.ConfigKey.Reload.RESTART;
import static io.github.rtmpedge.config.ConfigKey.SrsValue.LOG_LEVEL_WORD;
import static io.github.rtmpedge.config.ConfigKey.SrsValue.MILLISECONDS;
import static io.github.rtmpedge.config.ConfigKey.SrsValue.SECONDS;

import com.typesafe.config.ConfigUtil;
import io.github.rtmpedge.config.ValueType.Address;
import io.github.rtmpedge.config.ValueType.Apps;
import io.github.rtmpedge.config.ValueType.Choice;
import io.github.rtmpedge.config.ValueType.Count;
import io.github.rtmpedge.config.ValueType.Decimal;
import io.github.rtmpedge.config.ValueType.Flag;
import io.github.rtmpedge.config.ValueType.Items;
import io.github.rtmpedge.config.ValueType.Mount;
import io.github.rtmpedge.config.ValueType.Secrets;
import io.github.rtmpedge.config.ValueType.Size;
import io.github.rtmpedge.config.ValueType.Time;
import io.github.rtmpedge.config.ValueType.Token;
import io.github.rtmpedge.config.ValueType.Urls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Every configuration key, in {@code reference.conf}'s order: its path, value type, default (as
 * {@code reference.conf} writes it, which stays the documentation), SRS name, and whether a reload
 * applies it live. Reading, rendering, reload and SRS translation all go through this table, so a
 * key's name is written here and nowhere else in the code.
 *
 * <p>SRS names are directive paths joined with dots, {@code vhost} standing for
 * {@code vhost __defaultVhost__} ({@code vhost.play.queue_length}); a key may have several (SRS
 * moved directives between versions). The keys under {@code security.publish}, {@code security.play}
 * and {@code security.http_hooks} are {@link #appRules() app rules}: each app of
 * {@code security.apps} may override them.
 */
@SuppressWarnings("ImmutableEnumChecker") // value types, accessors and SRS names are immutable records and lambdas
public enum ConfigKey {
    LOG_LEVEL(
            "log_level",
            new Choice(LogLevel.class),
            "info",
            LIVE,
            get(EdgeConfig::logLevel),
            srs(LOG_LEVEL_WORD, "srs_log_level")),
    LOG_FORMAT("log_format", new Choice(LogFormat.class), "text", RESTART, get(EdgeConfig::logFormat)),
    LISTEN(
            "listen",
            new Items("a port 0..65535, \"host:port\" or a list of them", HostPortParser::listenAddresses),
            "[1935]",
            RESTART,
            get(EdgeConfig::listen),
            srs("listen", "rtmp.listen")),
    MAX_CONNECTIONS(
            "max_connections",
            new Count(1, 1_000_000),
            "1000",
            LIVE,
            get(EdgeConfig::maxConnections),
            srs("max_connections")),
    // SRS also has it per vhost; the translator picks which one applies.
    CHUNK_SIZE(
            "chunk_size",
            new Size(128, Shared.MAX_24_BIT, "a size 128..16777215 bytes", false),
            "60000",
            RESTART,
            get(EdgeConfig::chunkSize),
            srs("chunk_size", "vhost.chunk_size")),
    HANDSHAKE_TIMEOUT("handshake_timeout", new Time(false), "10s", LIVE, get(EdgeConfig::handshakeTimeout)),
    IDLE_TIMEOUT("idle_timeout", new Time(true), "60s", LIVE, get(EdgeConfig::idleTimeout)),
    QUEUE_LENGTH(
            "queue_length",
            new Time(false),
            "30s",
            LIVE,
            get(EdgeConfig::queueLength),
            srs(SECONDS, "vhost.play.queue_length", "vhost.queue_length")),
    QUEUE_MAX_BYTES("queue_max_bytes", Shared.BUFFER, "16MiB", LIVE, get(EdgeConfig::queueMaxBytes)),
    GOP_CACHE(
            "gop_cache",
            new Flag(),
            "on",
            RESTART,
            get(EdgeConfig::gopCache),
            srs("vhost.play.gop_cache", "vhost.gop_cache")),
    GOP_CACHE_MAX_BYTES("gop_cache_max_bytes", Shared.BUFFER, "32MiB", RESTART, get(EdgeConfig::gopCacheMaxBytes)),
    MW_LATENCY(
            "mw_latency",
            new Time(true),
            "350ms",
            LIVE,
            get(EdgeConfig::mwLatency),
            srs(MILLISECONDS, "vhost.play.mw_latency", "vhost.mw_latency")),
    GRACE_START_WAIT(
            "grace_start_wait",
            new Time(true),
            "2300ms",
            RESTART,
            get(c -> c.grace().startWait()),
            srs(MILLISECONDS, "grace_start_wait")),
    GRACE_FINAL_WAIT(
            "grace_final_wait",
            new Time(true),
            "3200ms",
            RESTART,
            get(c -> c.grace().finalWait()),
            srs(MILLISECONDS, "grace_final_wait")),
    FORCE_GRACE_QUIT(
            "force_grace_quit",
            new Flag(),
            "off",
            RESTART,
            get(c -> c.grace().forceGraceQuit()),
            srs("force_grace_quit")),
    DRAIN_TIMEOUT(
            "drain_timeout", new Time(true), "0s", RESTART, get(c -> c.grace().drainTimeout())),
    DRAIN_SPREAD(
            "drain_spread", new Time(true), "10s", RESTART, get(c -> c.grace().drainSpread())),

    CLUSTER_MODE(
            "cluster.mode",
            new Choice(ClusterConfig.Mode.class),
            "local",
            RESTART,
            get(c -> c.cluster().mode()),
            srs("vhost.cluster.mode", "vhost.mode")),
    CLUSTER_ORIGIN(
            "cluster.origin",
            new Items(
                    "a list of \"host:port\" or one string of space-separated \"host:port\" entries",
                    HostPortParser::origins),
            "[]",
            LIVE,
            get(c -> c.cluster().origins()),
            srs("vhost.cluster.origin", "vhost.origin")),
    CLUSTER_ORIGIN_SELECTION(
            "cluster.origin_selection",
            new Choice(ClusterConfig.OriginSelection.class),
            "round_robin",
            LIVE,
            get(c -> c.cluster().originSelection())),
    CLUSTER_CONNECT_TIMEOUT(
            "cluster.connect_timeout",
            new Time(false),
            "3s",
            LIVE,
            get(c -> c.cluster().connectTimeout())),
    CLUSTER_PLAY_TIMEOUT(
            "cluster.play_timeout",
            new Time(false),
            "10s",
            LIVE,
            get(c -> c.cluster().playTimeout())),
    CLUSTER_RETRY_INITIAL_BACKOFF(
            "cluster.retry.initial_backoff",
            new Time(false),
            "500ms",
            LIVE,
            get(c -> c.cluster().retry().initialBackoff())),
    CLUSTER_RETRY_MAX_BACKOFF(
            "cluster.retry.max_backoff",
            new Time(false),
            "15s",
            LIVE,
            get(c -> c.cluster().retry().maxBackoff())),
    CLUSTER_RETRY_MULTIPLIER(
            "cluster.retry.multiplier",
            new Decimal(1.0, Double.MAX_VALUE, "a number >= 1.0"),
            "2.0",
            LIVE,
            get(c -> c.cluster().retry().multiplier())),
    CLUSTER_RETRY_JITTER(
            "cluster.retry.jitter",
            new Decimal(0.0, 1.0, "a number 0.0..1.0"),
            "0.3",
            LIVE,
            get(c -> c.cluster().retry().jitter())),
    CLUSTER_IDLE_CLOSE(
            "cluster.idle_close",
            new Time(true),
            "5s",
            LIVE,
            get(c -> c.cluster().idleClose())),
    CLUSTER_PUBLISH_REPLAY_MAX_BYTES(
            "cluster.publish_replay_max_bytes",
            new Size(0, Long.MAX_VALUE, "a size >= 0", true),
            "16MiB",
            LIVE,
            get(c -> c.cluster().publishReplayMaxBytes())),
    CLUSTER_UPSTREAM_LOST_TIMEOUT(
            "cluster.upstream_lost_timeout",
            new Time(true),
            "0s",
            LIVE,
            get(c -> c.cluster().upstreamLostTimeout())),
    CLUSTER_STALL_TIMEOUT(
            "cluster.stall_timeout",
            new Time(false),
            "3s",
            LIVE,
            get(c -> c.cluster().stallTimeout())),
    CLUSTER_PROBE_INTERVAL(
            "cluster.probe_interval",
            new Time(false),
            "300ms",
            LIVE,
            get(c -> c.cluster().probeInterval())),
    CLUSTER_PARALLEL_ASKS(
            "cluster.parallel_asks",
            new Count(1, 16),
            "3",
            LIVE,
            get(c -> c.cluster().parallelAsks())),

    // The HTTP server is bound once, with its token.
    HTTP_API_ENABLED(
            "http_api.enabled", new Flag(), "on", RESTART, get(c -> c.httpApi().enabled()), srs("http_api.enabled")),
    HTTP_API_LISTEN(
            "http_api.listen",
            new Address("a port 0..65535 or \"host:port\""),
            "1985",
            RESTART,
            get(c -> c.httpApi().listen()),
            srs("http_api.listen")),
    HTTP_API_DRAIN_TOKEN(
            "http_api.drain_token",
            new Token("\"\" or a bearer token of letters, digits and -._~+/"
                    + " (RFC 6750 b64token, optionally ending in =)"),
            "\"\"",
            RESTART,
            get(c -> c.httpApi().drainToken())),
    HTTP_API_MAX_CONNECTIONS(
            "http_api.max_connections",
            new Count(1, 1_000_000),
            "128",
            RESTART,
            get(c -> c.httpServer().limits().apiMaxConnections())),
    HTTP_API_METRICS_APP_LABEL(
            "http_api.metrics_app_label",
            new Flag(),
            "off",
            RESTART,
            get(c -> c.httpApi().appLabel())),
    HTTP_API_METRICS_APP_LABEL_MAX(
            "http_api.metrics_app_label_max",
            new Count(1, 1000),
            "20",
            RESTART,
            get(c -> c.httpApi().appLabelMax())),

    // HTTP-FLV: its listener is bound once.
    HTTP_SERVER_ENABLED(
            "http_server.enabled",
            new Flag(),
            "off",
            RESTART,
            get(c -> c.httpServer().enabled()),
            srs("http_server.enabled")),
    HTTP_SERVER_LISTEN(
            "http_server.listen",
            new Address("a port 0..65535 or \"host:port\""),
            "\"0.0.0.0:8080\"",
            RESTART,
            get(c -> c.httpServer().listen()),
            srs("http_server.listen")),
    HTTP_SERVER_MAX_CONNECTIONS(
            "http_server.max_connections",
            new Count(1, 1_000_000),
            "10000",
            RESTART,
            get(c -> c.httpServer().maxConnections())),
    HTTP_SERVER_CROSSDOMAIN(
            "http_server.crossdomain",
            new Flag(),
            "on",
            RESTART,
            get(c -> c.httpServer().crossDomain()),
            srs("http_server.crossdomain")),
    HTTP_SERVER_FLV_ENABLED(
            "http_server.flv.enabled",
            new Flag(),
            "on",
            RESTART,
            get(c -> c.httpServer().flv()),
            srs("vhost.http_remux.enabled")),
    HTTP_SERVER_FLV_MOUNT(
            "http_server.flv.mount",
            new Mount(FlvMount.EXPECTED),
            "\"" + FlvMount.DEFAULT + "\"",
            RESTART,
            get(c -> c.httpServer().mount()),
            srs("vhost.http_remux.mount")),

    // Both HTTP listeners; bound once.
    HTTP_LIMITS_MAX_URI_LENGTH(
            "http_limits.max_uri_length",
            new Size(256, 1 << 20, "a size 256B..1MiB", true),
            "4KiB",
            RESTART,
            get(c -> c.httpServer().limits().maxUriLength())),
    HTTP_LIMITS_MAX_HEADER_SIZE(
            "http_limits.max_header_size",
            new Size(1024, 1 << 20, "a size 1KiB..1MiB", true),
            "8KiB",
            RESTART,
            get(c -> c.httpServer().limits().maxHeaderSize())),
    HTTP_LIMITS_REQUEST_TIMEOUT(
            "http_limits.request_timeout",
            new Time(false),
            "10s",
            RESTART,
            get(c -> c.httpServer().limits().requestTimeout())),
    HTTP_LIMITS_KEEP_ALIVE_TIMEOUT(
            "http_limits.keep_alive_timeout",
            new Time(false),
            "15s",
            RESTART,
            get(c -> c.httpServer().limits().keepAliveTimeout())),

    // Both client listeners; read for each new connection.
    PROXY_PROTOCOL_ENABLED(
            "proxy_protocol.enabled",
            new Flag(),
            "off",
            LIVE,
            get(c -> c.proxyProtocol().enabled())),
    PROXY_PROTOCOL_TRUSTED(
            "proxy_protocol.trusted",
            Shared.CIDRS,
            "[]",
            LIVE,
            get(c -> c.proxyProtocol().trusted())),

    LIMITS_MAX_MESSAGE_LENGTH(
            "limits.max_message_length",
            new Size(1, Shared.MAX_24_BIT, "a size 1..16777215 bytes", true),
            "8MiB",
            LIVE,
            get(c -> c.limits().maxMessageLength())),
    LIMITS_MAX_PARTIAL_BYTES(
            "limits.max_partial_bytes",
            new Size(1, Long.MAX_VALUE, "a size >= " + LIMITS_MAX_MESSAGE_LENGTH.path, true),
            "16MiB",
            LIVE,
            get(c -> c.limits().maxPartialBytes())),
    LIMITS_MAX_CHUNK_STREAMS(
            "limits.max_chunk_streams",
            new Count(1, 65598),
            "64",
            LIVE,
            get(c -> c.limits().maxChunkStreams())),
    LIMITS_AMF_MAX_DEPTH(
            "limits.amf_max_depth",
            new Count(1, 1000),
            "64",
            LIVE,
            get(c -> c.limits().amfMaxDepth())),
    LIMITS_AMF_MAX_STRING_LENGTH(
            "limits.amf_max_string_length",
            new Size(1, Shared.MAX_24_BIT, "a size 1..16777215 bytes", true),
            "1MiB",
            LIVE,
            get(c -> c.limits().amfMaxStringLength())),
    LIMITS_AMF_MAX_ELEMENTS(
            "limits.amf_max_elements",
            new Count(1, (int) Shared.MAX_24_BIT),
            "65536",
            LIVE,
            get(c -> c.limits().amfMaxElements())),
    LIMITS_MIN_CHUNK_SIZE(
            "limits.min_chunk_size",
            new Size(1, 65536, "a size 1..65536 bytes", false),
            "1",
            LIVE,
            get(c -> c.limits().minChunkSize())),
    LIMITS_MAX_COMMANDS_PER_SECOND(
            "limits.max_commands_per_second",
            new Count(0, 1_000_000),
            "50",
            LIVE,
            get(c -> c.limits().maxCommandsPerSecond())),
    LIMITS_COMMAND_BURST(
            "limits.command_burst",
            new Count(1, 1_000_000),
            "200",
            LIVE,
            get(c -> c.limits().commandBurst())),
    LIMITS_PUBLISH_LEAD_WARN(
            "limits.publish_lead_warn",
            new Time(false),
            "10s",
            LIVE,
            get(c -> c.limits().publishLeadWarn())),
    LIMITS_PUBLISH_LEAD_MAX(
            "limits.publish_lead_max",
            new Time(true),
            "30s",
            LIVE,
            get(c -> c.limits().publishLeadMax())),
    LIMITS_ACK_WARN_WINDOWS(
            "limits.ack_warn_windows",
            new Count(0, 1000),
            "4",
            LIVE,
            get(c -> c.limits().ackWarnWindows())),
    LIMITS_ACK_MAX_WINDOWS(
            "limits.ack_max_windows",
            new Count(0, 1000),
            "0",
            LIVE,
            get(c -> c.limits().ackMaxWindows())),

    SECURITY_TOKEN_SECRETS(
            "security.token_secrets",
            new Secrets("a list of non-empty secret strings (or one string)"),
            "[]",
            LIVE,
            get(c -> c.security().tokenSecrets())),
    SECURITY_TOKEN_CLOCK_SKEW(
            "security.token_clock_skew",
            new Time(true),
            "30s",
            LIVE,
            get(c -> c.security().tokenClockSkew())),
    SECURITY_HOOK_TIMEOUT(
            "security.hook_timeout",
            new Time(false),
            "3s",
            LIVE,
            get(c -> c.security().hookTimeout())),
    SECURITY_HOOK_FAIL_OPEN(
            "security.hook_fail_open",
            new Flag(),
            "off",
            LIVE,
            get(c -> c.security().hookFailOpen())),
    SECURITY_PUBLISH_ALLOW(
            "security.publish.allow",
            Shared.CIDRS,
            "[]",
            LIVE,
            rule(r -> r.publish().allow())),
    SECURITY_PUBLISH_DENY(
            "security.publish.deny",
            Shared.CIDRS,
            "[]",
            LIVE,
            rule(r -> r.publish().deny())),
    SECURITY_PUBLISH_TOKEN(
            "security.publish.token",
            new Flag(),
            "off",
            LIVE,
            rule(r -> r.publish().token())),
    SECURITY_PLAY_ALLOW(
            "security.play.allow", Shared.CIDRS, "[]", LIVE, rule(r -> r.play().allow())),
    SECURITY_PLAY_DENY(
            "security.play.deny", Shared.CIDRS, "[]", LIVE, rule(r -> r.play().deny())),
    SECURITY_PLAY_TOKEN(
            "security.play.token", new Flag(), "off", LIVE, rule(r -> r.play().token())),
    SECURITY_HTTP_HOOKS_ON_CONNECT(
            "security.http_hooks.on_connect",
            Shared.URLS,
            "[]",
            LIVE,
            rule(r -> r.hooks().onConnect()),
            srs("vhost.http_hooks.on_connect")),
    SECURITY_HTTP_HOOKS_ON_PUBLISH(
            "security.http_hooks.on_publish",
            Shared.URLS,
            "[]",
            LIVE,
            rule(r -> r.hooks().onPublish()),
            srs("vhost.http_hooks.on_publish")),
    SECURITY_HTTP_HOOKS_ON_UNPUBLISH(
            "security.http_hooks.on_unpublish",
            Shared.URLS,
            "[]",
            LIVE,
            rule(r -> r.hooks().onUnpublish()),
            srs("vhost.http_hooks.on_unpublish")),
    SECURITY_HTTP_HOOKS_ON_PLAY(
            "security.http_hooks.on_play",
            Shared.URLS,
            "[]",
            LIVE,
            rule(r -> r.hooks().onPlay()),
            srs("vhost.http_hooks.on_play")),
    SECURITY_HTTP_HOOKS_ON_STOP(
            "security.http_hooks.on_stop",
            Shared.URLS,
            "[]",
            LIVE,
            rule(r -> r.hooks().onStop()),
            srs("vhost.http_hooks.on_stop")),
    // One entry for the whole map: its app names are the operator's, its keys the app rules above.
    SECURITY_APPS(
            "security.apps",
            new Apps("an object of app name → rules"),
            "{}",
            LIVE,
            get(c -> c.security().apps()));

    /** Whether a reload (SIGHUP, POST /api/v1/reload) applies a changed value. */
    public enum Reload {
        /** To new connections and upstreams, without a restart. */
        LIVE,
        /** Only after a restart: the value shapes something built once at start-up. */
        RESTART
    }

    /** How an SRS directive's bare value becomes ours: SRS writes some durations in its own unit. */
    enum SrsValue {
        AS_IS,
        MILLISECONDS,
        SECONDS,
        LOG_LEVEL_WORD
    }

    private record Srs(SrsValue value, List<String> names) {}

    /** Reads a value off an {@link EdgeConfig}; for an app rule, also off one app's rules. */
    private record Access(Function<EdgeConfig, ?> config, Function<SecurityConfig.AppRules, ?> rule) {}

    private final String path;
    private final ValueType type;
    private final String defaultValue;
    private final Reload reload;
    private final Access access;
    private final Srs srs;

    ConfigKey(String path, ValueType type, String defaultValue, Reload reload, Access access) {
        this(path, type, defaultValue, reload, access, srs());
    }

    ConfigKey(String path, ValueType type, String defaultValue, Reload reload, Access access, Srs srs) {
        this.path = path;
        this.type = type;
        this.defaultValue = defaultValue;
        this.reload = reload;
        this.access = access;
        this.srs = srs;
    }

    private static Access get(Function<EdgeConfig, ?> value) {
        return new Access(value, null);
    }

    /** An app rule: the configuration's value is that of the defaults every app starts from. */
    private static Access rule(Function<SecurityConfig.AppRules, ?> value) {
        return new Access(c -> value.apply(c.security().defaults()), value);
    }

    private static Srs srs(String... names) {
        return new Srs(SrsValue.AS_IS, List.of(names));
    }

    private static Srs srs(SrsValue value, String... names) {
        return new Srs(value, List.of(names));
    }

    /** The HOCON path ({@code cluster.retry.jitter}). */
    public String path() {
        return path;
    }

    /** The default as {@code reference.conf} writes it (HOCON: {@code 30s}, {@code [1935]}, {@code ""}). */
    public String defaultValue() {
        return defaultValue;
    }

    public Reload reload() {
        return reload;
    }

    /** SRS directive paths that set this key, 1:1 or through translation logic; empty when SRS has none. */
    public List<String> srsNames() {
        return srs.names();
    }

    SrsValue srsValue() {
        return srs.value();
    }

    ValueType type() {
        return type;
    }

    /** The type, which a reader expects to be {@code kind}: asking for another is a programming error. */
    <T extends ValueType> T type(Class<T> kind) {
        if (!kind.isInstance(type)) {
            throw new IllegalStateException(
                    path + " holds a " + type.getClass().getSimpleName() + ", not a " + kind.getSimpleName());
        }
        return kind.cast(type);
    }

    /** This key's value in {@code config} (for an app rule, the defaults' value). */
    Object value(EdgeConfig config) {
        return access.config().apply(config);
    }

    String render(EdgeConfig config) {
        return type.render(value(config));
    }

    boolean isAppRule() {
        return access.rule() != null;
    }

    /** An app rule's value in one app's rules. */
    String render(SecurityConfig.AppRules rules) {
        return type.render(access.rule().apply(rules));
    }

    /** The keys each app of {@link #SECURITY_APPS} may override, in table order. */
    static List<ConfigKey> appRules() {
        List<ConfigKey> rules = new ArrayList<>();
        for (ConfigKey key : values()) {
            if (key.isAppRule()) {
                rules.add(key);
            }
        }
        return rules;
    }

    /** An app rule's path below its app: {@code publish.allow} for {@code security.publish.allow}. */
    List<String> appRuleSegments() {
        List<String> segments = ConfigUtil.splitPath(path);
        int sectionDepth = ConfigUtil.splitPath(SECURITY_APPS.path).size() - 1;
        return segments.subList(sectionDepth, segments.size());
    }

    /** An app rule's path in {@code app}'s entry; {@code app} null = the defaults (the key's own path). */
    String pathInApp(String app) {
        if (app == null) {
            return path;
        }
        List<String> parts = new ArrayList<>(ConfigUtil.splitPath(SECURITY_APPS.path));
        parts.add(app);
        parts.addAll(appRuleSegments());
        return ConfigUtil.joinPath(parts);
    }

    /** The key an SRS directive path sets, or null. */
    static ConfigKey bySrsName(String srsPath) {
        return SrsIndex.KEYS.get(srsPath);
    }

    /** Whether {@code srsPath} is an SRS block holding directives of the table. */
    static boolean isSrsBlock(String srsPath) {
        return SrsIndex.BLOCKS.contains(srsPath);
    }

    /**
     * The keys that differ between two configurations and that a reload cannot apply, in table
     * order: what a reload from {@code before} to {@code after} leaves waiting for a restart.
     */
    public static List<String> restartNeeded(EdgeConfig before, EdgeConfig after) {
        List<String> keys = new ArrayList<>();
        for (ConfigKey key : values()) {
            if (key.reload == RESTART && !Objects.equals(key.value(before), key.value(after))) {
                keys.add(key.path);
            }
        }
        return keys;
    }

    /** Shared bounds and types, in a holder: the enum's own static fields are unset while its constants are built. */
    private static final class Shared {
        /** The 24-bit length field of the RTMP chunk message header. */
        static final long MAX_24_BIT = 0xFF_FFFFL;

        static final Size BUFFER = new Size(64 * 1024, Long.MAX_VALUE, "a size >= 64KiB", true);
        static final Items CIDRS = new Items(
                "a list of IPv4 or IPv6 addresses or CIDR blocks such as [\"10.0.0.0/8\", \"::1\"]",
                text -> List.of(CidrBlock.parse(text)));
        static final Urls URLS = new Urls(SecurityConfigReader.URLS);
    }

    /** Built on first use, once every constant exists. */
    private static final class SrsIndex {
        static final Map<String, ConfigKey> KEYS = new HashMap<>();
        static final Set<String> BLOCKS = new HashSet<>();

        static {
            for (ConfigKey key : values()) {
                for (String name : key.srsNames()) {
                    if (KEYS.put(name, key) != null) {
                        throw new IllegalStateException("SRS name " + name + " given to two keys");
                    }
                    List<String> parts = List.of(name.split("\\."));
                    for (int i = 1; i < parts.size(); i++) {
                        BLOCKS.add(String.join(".", parts.subList(0, i)));
                    }
                }
            }
        }
    }
}
