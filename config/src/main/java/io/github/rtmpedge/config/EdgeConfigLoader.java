package io.github.rtmpedge.config;

import static io.github.rtmpedge.config.ConfigKey.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Turns configuration files into a validated {@link EdgeConfig}. Layers, highest priority first:
 * environment overrides ({@code CONFIG_FORCE_max___connections=5}, see
 * {@link ConfigFactory#systemEnvironmentOverrides()}), JVM system properties
 * ({@code -Dcluster.mode=remote}), the configuration file, then {@code reference.conf}.
 * Every problem is collected before failing with {@link InvalidConfigException}.
 *
 * <p>The configuration file may be HOCON or SRS's own syntax, told apart by
 * {@link ConfigSyntax#detect}; an SRS file is translated by {@link SrsConfigTranslator} into the
 * same keys at the file layer (so overrides still apply) and validated the same way. SRS
 * directives that are ignored come first in {@link EdgeConfig#warnings()}.
 */
public final class EdgeConfigLoader {

    private EdgeConfigLoader() {}

    /**
     * Loads the configuration the way the server does: {@code file} is the {@code -c FILE}
     * argument; without it, {@code -Dconfig.file} is used if set, else no file.
     *
     * @throws InvalidConfigException listing every problem, including a missing or unparsable file
     */
    public static EdgeConfig load(Optional<Path> file) {
        return load(file, ConfigFactory.systemEnvironmentOverrides(), System.getProperties());
    }

    /**
     * {@link #load(Optional)} with the environment-override layer and the system properties
     * given, for tests and embedding ({@code envOverrides} is what
     * {@link ConfigFactory#systemEnvironmentOverrides()} would return).
     */
    public static EdgeConfig load(Optional<Path> file, Config envOverrides, Properties systemProperties) {
        Optional<Path> chosen = file.or(() ->
                Optional.ofNullable(systemProperties.getProperty("config.file")).map(Path::of));
        FileLayer fileLayer =
                chosen.map(EdgeConfigLoader::parseFile).orElse(new FileLayer(ConfigFactory.empty(), List.of()));
        Config properties = ConfigFactory.parseProperties(
                systemProperties, ConfigParseOptions.defaults().setOriginDescription("system properties"));
        Config reference = ConfigFactory.parseResources(EdgeConfigLoader.class.getClassLoader(), "reference.conf");
        return fromLayers(envOverrides, properties, fileLayer.config(), reference, fileLayer.warnings());
    }

    /** The file's layer, and what reading it left out (the SRS directives we ignore). */
    private record FileLayer(Config config, List<String> warnings) {}

    /**
     * Merges the layers (highest first), resolves substitutions and validates; {@code fileWarnings}
     * come first among the result's warnings.
     */
    static EdgeConfig fromLayers(
            Config envOverrides, Config systemProperties, Config file, Config reference, List<String> fileWarnings) {
        Config merged;
        try {
            merged = envOverrides
                    .withFallback(systemProperties)
                    .withFallback(file)
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new Problem(
                    e.origin() == null ? "(configuration)" : e.origin().description(),
                    "(unresolvable)",
                    "substitutions that resolve (" + e.getMessage() + ")")));
        }
        ConfigReader reader = new ConfigReader(merged);
        EdgeConfig config = read(reader, fileWarnings);
        // Unknown keys: only those the operator wrote (file, CONFIG_FORCE_ variables), not the JVM's own properties.
        UnknownKeys.check(reader, List.of(file, envOverrides));
        if (!reader.problems().isEmpty()) {
            throw new InvalidConfigException(
                    reader.problems().stream().map(p -> withSrsLine(p, merged)).toList(), logFormatOf(merged));
        }
        return config;
    }

    /** The configuration's log_format when that key alone is valid, else null. */
    private static LogFormat logFormatOf(Config merged) {
        ConfigReader alone = new ConfigReader(merged);
        LogFormat format = alone.enumValue(LOG_FORMAT, LogFormat.class);
        return alone.problems().isEmpty() ? format : null;
    }

    /** A problem with a value that came from an SRS directive also names the directive and its line. */
    private static Problem withSrsLine(Problem problem, Config merged) {
        String path = problem.path().replaceFirst("\\[[0-9]+]$", "");
        try {
            if (merged.hasPath(path)) {
                String origin = merged.getValue(path).origin().description();
                if (origin.startsWith(SrsConfigTranslator.ORIGIN_PREFIX)) {
                    return new Problem(problem.path(), problem.value(), problem.expected() + " (from " + origin + ")");
                }
            }
        } catch (ConfigException e) {
            // not a plain path (a quoted or malformed key): report the problem as it is
        }
        return problem;
    }

    /**
     * Reads the file in the syntax {@link ConfigSyntax#detect} finds: HOCON as is, an SRS file
     * translated by {@link SrsConfigTranslator} into the same keys.
     */
    private static FileLayer parseFile(Path path) {
        if (syntaxOf(path) == ConfigSyntax.SRS) {
            SrsConfigTranslator.Translation translation = SrsConfigTranslator.translate(path);
            return new FileLayer(translation.config(), translation.warnings());
        }
        try {
            return new FileLayer(
                    ConfigFactory.parseFile(
                            path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)),
                    List.of());
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(
                    new Problem("config file", "\"" + path + "\"", "a readable HOCON file (" + e.getMessage() + ")")));
        }
    }

    /**
     * The syntax {@link #load(Optional)} reads {@code file} in, by {@link ConfigSyntax#detect}; an
     * unreadable file counts as HOCON (whose parser then reports it).
     */
    public static ConfigSyntax syntaxOf(Path file) {
        try {
            return ConfigSyntax.detect(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return ConfigSyntax.HOCON;
        }
    }

    /** The longest merged write: beyond it players' buffers and latency suffer for no gain. */
    private static final Duration MAX_MW_LATENCY = Duration.ofSeconds(2);

    private static EdgeConfig read(ConfigReader r, List<String> fileWarnings) {
        List<ListenAddress> listen = r.items(LISTEN, ListenAddress.class);
        Integer maxConnections = r.intIn(MAX_CONNECTIONS);
        Long chunkSize = r.bytes(CHUNK_SIZE);
        Duration handshakeTimeout = r.duration(HANDSHAKE_TIMEOUT);
        Duration idleTimeout = r.duration(IDLE_TIMEOUT);
        Duration queueLength = r.duration(QUEUE_LENGTH);
        Long queueMaxBytes = r.bytes(QUEUE_MAX_BYTES);
        Boolean gopCache = r.bool(GOP_CACHE);
        Long gopCacheMaxBytes = r.bytes(GOP_CACHE_MAX_BYTES);
        Duration mwLatency = r.duration(MW_LATENCY);
        Duration graceStartWait = r.duration(GRACE_START_WAIT);
        Duration graceFinalWait = r.duration(GRACE_FINAL_WAIT);
        Boolean forceGraceQuit = r.bool(FORCE_GRACE_QUIT);
        Duration drainTimeout = r.duration(DRAIN_TIMEOUT);
        Duration drainSpread = r.duration(DRAIN_SPREAD);
        LogLevel logLevel = r.enumValue(LOG_LEVEL, LogLevel.class);
        LogFormat logFormat = r.enumValue(LOG_FORMAT, LogFormat.class);

        ClusterConfig.Mode mode = r.enumValue(CLUSTER_MODE, ClusterConfig.Mode.class);
        List<OriginAddress> origins = r.items(CLUSTER_ORIGIN, OriginAddress.class);
        ClusterConfig.OriginSelection selection =
                r.enumValue(CLUSTER_ORIGIN_SELECTION, ClusterConfig.OriginSelection.class);
        Duration connectTimeout = r.duration(CLUSTER_CONNECT_TIMEOUT);
        Duration playTimeout = r.duration(CLUSTER_PLAY_TIMEOUT);
        Duration initialBackoff = r.duration(CLUSTER_RETRY_INITIAL_BACKOFF);
        Duration maxBackoff = r.duration(CLUSTER_RETRY_MAX_BACKOFF);
        Double multiplier = r.decimal(CLUSTER_RETRY_MULTIPLIER);
        Double jitter = r.decimal(CLUSTER_RETRY_JITTER);
        Duration idleClose = r.duration(CLUSTER_IDLE_CLOSE);
        Long publishReplay = r.bytes(CLUSTER_PUBLISH_REPLAY_MAX_BYTES);
        Duration upstreamLost = r.duration(CLUSTER_UPSTREAM_LOST_TIMEOUT);
        Duration stallTimeout = r.duration(CLUSTER_STALL_TIMEOUT);
        Duration probeInterval = r.duration(CLUSTER_PROBE_INTERVAL);
        Integer parallelAsks = r.intIn(CLUSTER_PARALLEL_ASKS);

        Boolean httpEnabled = r.bool(HTTP_API_ENABLED);
        ListenAddress httpListen = HttpValueReader.singleListen(r, HTTP_API_LISTEN);
        String drainToken = HttpValueReader.drainToken(r);
        Integer apiMaxConnections = r.intIn(HTTP_API_MAX_CONNECTIONS);
        Boolean appLabel = r.bool(HTTP_API_METRICS_APP_LABEL);
        Integer appLabelMax = r.intIn(HTTP_API_METRICS_APP_LABEL_MAX);
        Boolean flvServerEnabled = r.bool(HTTP_SERVER_ENABLED);
        ListenAddress flvListen = HttpValueReader.singleListen(r, HTTP_SERVER_LISTEN);
        Integer flvMaxConnections = r.intIn(HTTP_SERVER_MAX_CONNECTIONS);
        Boolean crossDomain = r.bool(HTTP_SERVER_CROSSDOMAIN);
        Boolean flvEnabled = r.bool(HTTP_SERVER_FLV_ENABLED);
        FlvMount mount = HttpValueReader.mount(r);
        Long maxUriLength = r.bytes(HTTP_LIMITS_MAX_URI_LENGTH);
        Long maxHeaderSize = r.bytes(HTTP_LIMITS_MAX_HEADER_SIZE);
        Duration requestTimeout = r.duration(HTTP_LIMITS_REQUEST_TIMEOUT);
        Duration keepAliveTimeout = r.duration(HTTP_LIMITS_KEEP_ALIVE_TIMEOUT);
        Boolean proxyEnabled = r.bool(PROXY_PROTOCOL_ENABLED);
        List<CidrBlock> proxyTrusted = r.items(PROXY_PROTOCOL_TRUSTED, CidrBlock.class);

        Long maxMessageLength = r.bytes(LIMITS_MAX_MESSAGE_LENGTH);
        Long maxPartialBytes = r.bytes(LIMITS_MAX_PARTIAL_BYTES);
        Integer maxChunkStreams = r.intIn(LIMITS_MAX_CHUNK_STREAMS);
        Integer amfMaxDepth = r.intIn(LIMITS_AMF_MAX_DEPTH);
        Long amfMaxString = r.bytes(LIMITS_AMF_MAX_STRING_LENGTH);
        Integer amfMaxElements = r.intIn(LIMITS_AMF_MAX_ELEMENTS);
        Long minChunkSize = r.bytes(LIMITS_MIN_CHUNK_SIZE);
        Integer maxCommandsPerSecond = r.intIn(LIMITS_MAX_COMMANDS_PER_SECOND);
        Integer commandBurst = r.intIn(LIMITS_COMMAND_BURST);
        Duration publishLeadWarn = r.duration(LIMITS_PUBLISH_LEAD_WARN);
        Duration publishLeadMax = r.duration(LIMITS_PUBLISH_LEAD_MAX);
        Integer ackWarnWindows = r.intIn(LIMITS_ACK_WARN_WINDOWS);
        Integer ackMaxWindows = r.intIn(LIMITS_ACK_MAX_WINDOWS);
        SecurityConfig security = new SecurityConfigReader(r).read();

        // Rules across keys.
        List<String> warnings = new ArrayList<>(fileWarnings);
        if (listen != null) {
            if (listen.isEmpty()) {
                r.problem(LISTEN.path(), "[]", "at least one address");
            }
            Set<ListenAddress> seen = new HashSet<>();
            for (ListenAddress address : listen) {
                if (address.port() != 0 && !seen.add(address)) {
                    r.problem(LISTEN, "distinct addresses (" + address + " appears twice)");
                }
            }
            if (httpListen != null
                    && Boolean.TRUE.equals(httpEnabled)
                    && httpListen.port() != 0
                    && listen.contains(httpListen)) {
                r.problem(
                        HTTP_API_LISTEN,
                        "an address no RTMP listener uses (" + httpListen + " is in " + LISTEN.path() + ")");
            }
        }
        if (Boolean.TRUE.equals(flvServerEnabled) && flvListen != null && flvListen.port() != 0) {
            if (listen != null && listen.contains(flvListen)) {
                r.problem(
                        HTTP_SERVER_LISTEN,
                        "an address no RTMP listener uses (" + flvListen + " is in " + LISTEN.path() + ")");
            } else if (Boolean.TRUE.equals(httpEnabled) && flvListen.equals(httpListen)) {
                r.problem(
                        HTTP_SERVER_LISTEN,
                        "an address the HTTP API does not use (" + flvListen + " is " + HTTP_API_LISTEN.path() + ")");
            }
        }
        if (Boolean.TRUE.equals(proxyEnabled) && proxyTrusted != null && proxyTrusted.isEmpty()) {
            r.problem(
                    PROXY_PROTOCOL_TRUSTED,
                    "at least one address or CIDR block of the load balancers when " + PROXY_PROTOCOL_ENABLED.path()
                            + " = on");
        }
        if (mode != null && origins != null) {
            if (mode == ClusterConfig.Mode.REMOTE && origins.isEmpty()) {
                r.problem(CLUSTER_ORIGIN, "at least one origin when " + CLUSTER_MODE.path() + " = remote");
            }
            if (mode == ClusterConfig.Mode.LOCAL && !origins.isEmpty()) {
                warnings.add(CLUSTER_ORIGIN.path() + " lists " + origins.size() + " origin(s) but "
                        + CLUSTER_MODE.path() + " = local: the origins are ignored");
            }
        }
        if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
            r.problem(
                    CLUSTER_RETRY_MAX_BACKOFF,
                    "a duration >= " + CLUSTER_RETRY_INITIAL_BACKOFF.path() + " (" + EdgeConfig.duration(initialBackoff)
                            + ")");
        }
        if (mwLatency != null && mwLatency.compareTo(MAX_MW_LATENCY) > 0) {
            r.problem(MW_LATENCY, "a duration 0.." + EdgeConfig.duration(MAX_MW_LATENCY));
        } else if (mwLatency != null && queueLength != null && mwLatency.compareTo(queueLength) >= 0) {
            r.problem(
                    MW_LATENCY,
                    "a duration shorter than " + QUEUE_LENGTH.path() + " (" + EdgeConfig.duration(queueLength) + ")");
        }
        if (maxMessageLength != null && maxPartialBytes != null && maxPartialBytes < maxMessageLength) {
            r.problem(
                    LIMITS_MAX_PARTIAL_BYTES,
                    "a size >= " + LIMITS_MAX_MESSAGE_LENGTH.path() + " (" + EdgeConfig.bytes(maxMessageLength) + ")");
        }
        if (publishLeadWarn != null
                && publishLeadMax != null
                && !publishLeadMax.isZero()
                && publishLeadMax.compareTo(publishLeadWarn) < 0) {
            r.problem(
                    LIMITS_PUBLISH_LEAD_MAX,
                    "0 (off) or a duration >= " + LIMITS_PUBLISH_LEAD_WARN.path() + " ("
                            + EdgeConfig.duration(publishLeadWarn) + ")");
        }
        if (ackWarnWindows != null && ackMaxWindows != null && ackMaxWindows != 0 && ackMaxWindows < ackWarnWindows) {
            r.problem(
                    LIMITS_ACK_MAX_WINDOWS,
                    "0 (never) or a count >= " + LIMITS_ACK_WARN_WINDOWS.path() + " (" + ackWarnWindows + ")");
        }
        if (!r.problems().isEmpty()) {
            return null;
        }
        return new EdgeConfig(
                listen,
                maxConnections,
                chunkSize.intValue(),
                handshakeTimeout,
                idleTimeout,
                queueLength,
                queueMaxBytes,
                gopCache,
                gopCacheMaxBytes,
                mwLatency,
                new ClusterConfig(
                        mode,
                        origins,
                        selection,
                        connectTimeout,
                        playTimeout,
                        new RetryConfig(initialBackoff, maxBackoff, multiplier, jitter),
                        idleClose,
                        publishReplay,
                        upstreamLost,
                        stallTimeout,
                        probeInterval,
                        parallelAsks),
                new HttpApiConfig(httpEnabled, httpListen, drainToken, appLabel, appLabelMax),
                new LimitsConfig(
                        maxMessageLength,
                        maxPartialBytes,
                        maxChunkStreams,
                        amfMaxDepth,
                        amfMaxString,
                        amfMaxElements,
                        minChunkSize.intValue(),
                        maxCommandsPerSecond,
                        commandBurst,
                        publishLeadWarn,
                        publishLeadMax,
                        ackWarnWindows,
                        ackMaxWindows),
                warnings,
                new GraceConfig(graceStartWait, graceFinalWait, forceGraceQuit, drainTimeout, drainSpread),
                logLevel,
                logFormat,
                security,
                new HttpServerConfig(
                        flvServerEnabled,
                        flvListen,
                        flvMaxConnections,
                        crossDomain,
                        flvEnabled,
                        mount,
                        new HttpServerConfig.HttpLimits(
                                maxUriLength.intValue(),
                                maxHeaderSize.intValue(),
                                requestTimeout,
                                keepAliveTimeout,
                                apiMaxConnections)),
                new ProxyProtocolConfig(proxyEnabled, proxyTrusted));
    }
}
