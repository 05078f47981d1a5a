package io.github.rtmpedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

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

    /** Largest RTMP message length: the 24-bit length field of the chunk message header. */
    private static final long MAX_24_BIT = 0xFF_FFFFL;
    private static final long MIN_BUFFER_BYTES = 64 * 1024;
    /** RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private EdgeConfigLoader() {
    }

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
        Optional<Path> chosen = file.or(() -> Optional.ofNullable(systemProperties.getProperty("config.file")).map(Path::of));
        FileLayer fileLayer = chosen.map(EdgeConfigLoader::parseFile).orElse(new FileLayer(ConfigFactory.empty(), List.of()));
        Config properties = ConfigFactory.parseProperties(systemProperties,
                ConfigParseOptions.defaults().setOriginDescription("system properties"));
        Config reference = ConfigFactory.parseResources(EdgeConfigLoader.class.getClassLoader(), "reference.conf");
        return fromLayers(envOverrides, properties, fileLayer.config(), reference, fileLayer.warnings());
    }

    /** The file's layer, and what reading it left out (the SRS directives we ignore). */
    private record FileLayer(Config config, List<String> warnings) {
    }

    /**
     * Merges the layers (highest first), resolves substitutions and validates; {@code fileWarnings}
     * come first among the result's warnings.
     */
    static EdgeConfig fromLayers(Config envOverrides, Config systemProperties, Config file, Config reference,
            List<String> fileWarnings) {
        Config merged;
        try {
            merged = envOverrides.withFallback(systemProperties).withFallback(file).withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new Problem(
                    e.origin() == null ? "(configuration)" : e.origin().description(),
                    "(unresolvable)", "substitutions that resolve (" + e.getMessage() + ")")));
        }
        ConfigReader reader = new ConfigReader(merged);
        EdgeConfig config = read(reader, fileWarnings);
        // Unknown keys: only those the operator wrote (file, CONFIG_FORCE_ variables), not the JVM's own properties.
        UnknownKeys.check(reader, List.of(file, envOverrides));
        if (!reader.problems().isEmpty()) {
            throw new InvalidConfigException(reader.problems().stream().map(p -> withSrsLine(p, merged)).toList());
        }
        return config;
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
            return new FileLayer(ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)),
                    List.of());
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new Problem("config file", "\"" + path + "\"",
                    "a readable HOCON file (" + e.getMessage() + ")")));
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
        List<ListenAddress> listen = r.scalarList("listen", "a port 0..65535, \"host:port\" or a list of them",
                text -> List.of(toListen(HostPortParser.listen(text))));
        Integer maxConnections = r.intIn("max_connections", 1, 1_000_000);
        Long chunkSize = r.bytes("chunk_size", 128, MAX_24_BIT, "a size 128..16777215 bytes");
        Duration handshakeTimeout = r.duration("handshake_timeout", false);
        Duration idleTimeout = r.duration("idle_timeout", true);
        Duration queueLength = r.duration("queue_length", false);
        Long queueMaxBytes = r.bytes("queue_max_bytes", MIN_BUFFER_BYTES, Long.MAX_VALUE, "a size >= 64KiB");
        Boolean gopCache = r.bool("gop_cache");
        Long gopCacheMaxBytes = r.bytes("gop_cache_max_bytes", MIN_BUFFER_BYTES, Long.MAX_VALUE, "a size >= 64KiB");
        Duration mwLatency = r.duration("mw_latency", true);
        Duration graceStartWait = r.duration("grace_start_wait", true);
        Duration graceFinalWait = r.duration("grace_final_wait", true);
        Boolean forceGraceQuit = r.bool("force_grace_quit");
        Duration drainTimeout = r.duration("drain_timeout", true);
        Duration drainSpread = r.duration("drain_spread", true);
        LogLevel logLevel = r.enumValue("log_level", LogLevel.class);
        LogFormat logFormat = r.enumValue("log_format", LogFormat.class);

        ClusterConfig.Mode mode = r.enumValue("cluster.mode", ClusterConfig.Mode.class);
        List<OriginAddress> origins = r.scalarList("cluster.origin",
                "a list of \"host:port\" or one string of space-separated \"host:port\" entries",
                EdgeConfigLoader::toOrigins);
        ClusterConfig.OriginSelection selection = r.enumValue("cluster.origin_selection", ClusterConfig.OriginSelection.class);
        Duration connectTimeout = r.duration("cluster.connect_timeout", false);
        Duration playTimeout = r.duration("cluster.play_timeout", false);
        Duration initialBackoff = r.duration("cluster.retry.initial_backoff", false);
        Duration maxBackoff = r.duration("cluster.retry.max_backoff", false);
        Double multiplier = r.decimal("cluster.retry.multiplier", 1.0, Double.MAX_VALUE, "a number >= 1.0");
        Double jitter = r.decimal("cluster.retry.jitter", 0.0, 1.0, "a number 0.0..1.0");
        Duration idleClose = r.duration("cluster.idle_close", true);
        Long publishReplay = r.bytes("cluster.publish_replay_max_bytes", 0, Long.MAX_VALUE, "a size >= 0");
        Duration upstreamLost = r.duration("cluster.upstream_lost_timeout", true);

        Boolean httpEnabled = r.bool("http_api.enabled");
        ListenAddress httpListen = null;
        var httpValue = r.value("http_api.listen", "a port 0..65535 or \"host:port\"");
        if (httpValue != null) {
            httpListen = singleListen(r, "http_api.listen", httpValue);
        }
        String drainToken = drainToken(r);

        Long maxMessageLength = r.bytes("limits.max_message_length", 1, MAX_24_BIT, "a size 1..16777215 bytes");
        Long maxPartialBytes = r.bytes("limits.max_partial_bytes", 1, Long.MAX_VALUE, "a size >= limits.max_message_length");
        Integer maxChunkStreams = r.intIn("limits.max_chunk_streams", 1, 65598);
        Integer amfMaxDepth = r.intIn("limits.amf_max_depth", 1, 1000);
        Long amfMaxString = r.bytes("limits.amf_max_string_length", 1, MAX_24_BIT, "a size 1..16777215 bytes");
        Integer amfMaxElements = r.intIn("limits.amf_max_elements", 1, (int) MAX_24_BIT);
        Long minChunkSize = r.bytes("limits.min_chunk_size", 1, 65536, "a size 1..65536 bytes");
        Integer maxCommandsPerSecond = r.intIn("limits.max_commands_per_second", 0, 1_000_000);
        Integer commandBurst = r.intIn("limits.command_burst", 1, 1_000_000);
        Duration publishLeadWarn = r.duration("limits.publish_lead_warn", false);
        Duration publishLeadMax = r.duration("limits.publish_lead_max", true);
        Integer ackWarnWindows = r.intIn("limits.ack_warn_windows", 0, 1000);
        Integer ackMaxWindows = r.intIn("limits.ack_max_windows", 0, 1000);
        SecurityConfig security = new SecurityConfigReader(r).read();

        // Rules across keys.
        List<String> warnings = new ArrayList<>(fileWarnings);
        if (listen != null) {
            if (listen.isEmpty()) {
                r.problem("listen", "[]", "at least one address");
            }
            Set<ListenAddress> seen = new HashSet<>();
            for (ListenAddress address : listen) {
                if (address.port() != 0 && !seen.add(address)) {
                    r.problem("listen", r.render("listen"), "distinct addresses (" + address + " appears twice)");
                }
            }
            if (httpListen != null && Boolean.TRUE.equals(httpEnabled) && httpListen.port() != 0 && listen.contains(httpListen)) {
                r.problem("http_api.listen", r.render("http_api.listen"),
                        "an address no RTMP listener uses (" + httpListen + " is in listen)");
            }
        }
        if (mode != null && origins != null) {
            if (mode == ClusterConfig.Mode.REMOTE && origins.isEmpty()) {
                r.problem("cluster.origin", r.render("cluster.origin"), "at least one origin when cluster.mode = remote");
            }
            if (mode == ClusterConfig.Mode.LOCAL && !origins.isEmpty()) {
                warnings.add("cluster.origin lists " + origins.size()
                        + " origin(s) but cluster.mode = local: the origins are ignored");
            }
        }
        if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
            r.problem("cluster.retry.max_backoff", r.render("cluster.retry.max_backoff"),
                    "a duration >= cluster.retry.initial_backoff (" + EdgeConfig.duration(initialBackoff) + ")");
        }
        if (mwLatency != null && mwLatency.compareTo(MAX_MW_LATENCY) > 0) {
            r.problem("mw_latency", r.render("mw_latency"), "a duration 0..2s");
        } else if (mwLatency != null && queueLength != null && mwLatency.compareTo(queueLength) >= 0) {
            r.problem("mw_latency", r.render("mw_latency"),
                    "a duration shorter than queue_length (" + EdgeConfig.duration(queueLength) + ")");
        }
        if (maxMessageLength != null && maxPartialBytes != null && maxPartialBytes < maxMessageLength) {
            r.problem("limits.max_partial_bytes", r.render("limits.max_partial_bytes"),
                    "a size >= limits.max_message_length (" + EdgeConfig.bytes(maxMessageLength) + ")");
        }
        if (publishLeadWarn != null && publishLeadMax != null && !publishLeadMax.isZero()
                && publishLeadMax.compareTo(publishLeadWarn) < 0) {
            r.problem("limits.publish_lead_max", r.render("limits.publish_lead_max"),
                    "0 (off) or a duration >= limits.publish_lead_warn (" + EdgeConfig.duration(publishLeadWarn) + ")");
        }
        if (ackWarnWindows != null && ackMaxWindows != null && ackMaxWindows != 0 && ackMaxWindows < ackWarnWindows) {
            r.problem("limits.ack_max_windows", r.render("limits.ack_max_windows"),
                    "0 (never) or a count >= limits.ack_warn_windows (" + ackWarnWindows + ")");
        }
        if (!r.problems().isEmpty()) {
            return null;
        }
        return new EdgeConfig(listen, maxConnections, chunkSize.intValue(), handshakeTimeout, idleTimeout,
                queueLength, queueMaxBytes, gopCache, gopCacheMaxBytes, mwLatency,
                new ClusterConfig(mode, origins, selection, connectTimeout, playTimeout,
                        new RetryConfig(initialBackoff, maxBackoff, multiplier, jitter),
                        idleClose, publishReplay, upstreamLost),
                new HttpApiConfig(httpEnabled, httpListen, drainToken),
                new LimitsConfig(maxMessageLength, maxPartialBytes, maxChunkStreams, amfMaxDepth, amfMaxString, amfMaxElements,
                        minChunkSize.intValue(), maxCommandsPerSecond, commandBurst, publishLeadWarn, publishLeadMax,
                        ackWarnWindows, ackMaxWindows),
                warnings,
                new GraceConfig(graceStartWait, graceFinalWait, forceGraceQuit, drainTimeout, drainSpread),
                logLevel,
                logFormat,
                security);
    }

    /**
     * {@code http_api.drain_token}: empty, or an RFC 6750 section 2.1 {@code b64token} (what may
     * follow "Bearer " in an Authorization header). A secret, so a problem shows only its length.
     */
    private static String drainToken(ConfigReader r) {
        String path = "http_api.drain_token";
        String expected = "\"\" or a bearer token of letters, digits and -._~+/ (RFC 6750 b64token, optionally ending in =)";
        ConfigValue value = r.value(path, expected);
        if (value == null) {
            return null;
        }
        if (value.valueType() != ConfigValueType.STRING && value.valueType() != ConfigValueType.NUMBER) {
            r.problem(path, "(redacted, a " + value.valueType().name().toLowerCase(Locale.ROOT) + ")", expected);
            return null;
        }
        String token = String.valueOf(value.unwrapped());
        if (!token.isEmpty() && !B64TOKEN.matcher(token).matches()) {
            r.problem(path, "(redacted, " + token.length() + " characters)", expected);
            return null;
        }
        return token;
    }

    private static ListenAddress singleListen(ConfigReader r, String path, ConfigValue value) {
        String expected = "a port 0..65535 or \"host:port\"";
        switch (value.valueType()) {
            case NUMBER, STRING -> {
                try {
                    return toListen(HostPortParser.listen(String.valueOf(value.unwrapped())));
                } catch (IllegalArgumentException e) {
                    r.problem(path, ConfigReader.render(value), e.getMessage());
                    return null;
                }
            }
            default -> {
                r.problem(path, ConfigReader.render(value), expected);
                return null;
            }
        }
    }

    private static ListenAddress toListen(HostPortParser.HostPort hostPort) {
        return new ListenAddress(hostPort.host(), hostPort.port());
    }

    /** One entry, or several separated by white space as SRS writes {@code origin}. */
    private static List<OriginAddress> toOrigins(String text) {
        List<OriginAddress> origins = new ArrayList<>();
        for (String entry : text.trim().split("\\s+")) {
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("\"host:port\" entries (empty entry)");
            }
            HostPortParser.HostPort hostPort = HostPortParser.origin(entry);
            origins.add(new OriginAddress(hostPort.host(), hostPort.port()));
        }
        return origins;
    }

    /**
     * Prints the effective configuration (and any warnings) and exits 0, or prints every problem
     * and exits 1: a configuration check, like {@code srs -t}. Arguments: {@code [-c FILE]}.
     */
    public static void main(String[] args) {
        Optional<Path> file = Optional.empty();
        List<String> arguments = Arrays.asList(args);
        if (arguments.size() == 2 && arguments.get(0).equals("-c")) {
            file = Optional.of(Path.of(arguments.get(1)));
        } else if (!arguments.isEmpty()) {
            System.err.println("usage: EdgeConfigLoader [-c FILE]");
            System.exit(2);
        }
        try {
            EdgeConfig config = load(file);
            System.out.println(config.render());
            config.warnings().forEach(w -> System.out.println("warning: " + w));
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
