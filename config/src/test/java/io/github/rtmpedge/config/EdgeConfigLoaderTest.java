package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.ClusterConfig.Mode;
import io.github.rtmpedge.config.ClusterConfig.OriginSelection;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeConfigLoaderTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    /** The values reference.conf documents. */
    static EdgeConfig documentedDefaults() {
        return new EdgeConfig(
                List.of(new ListenAddress("0.0.0.0", 1935)),
                1000,
                60000,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                16 * MIB,
                true,
                32 * MIB,
                Duration.ofMillis(350),
                new ClusterConfig(
                        Mode.LOCAL,
                        List.of(),
                        OriginSelection.ROUND_ROBIN,
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(10),
                        new RetryConfig(Duration.ofMillis(500), Duration.ofSeconds(15), 2.0, 0.3),
                        Duration.ofSeconds(5),
                        16 * MIB,
                        Duration.ZERO,
                        Duration.ofSeconds(3),
                        Duration.ofMillis(300),
                        3),
                new HttpApiConfig(true, new ListenAddress("0.0.0.0", 1985), ""),
                new LimitsConfig(
                        8 * MIB,
                        16 * MIB,
                        64,
                        64,
                        MIB,
                        65536,
                        1,
                        50,
                        200,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        4,
                        0),
                List.of(),
                new GraceConfig(
                        Duration.ofMillis(2300), Duration.ofMillis(3200), false, Duration.ZERO, Duration.ofSeconds(10)),
                LogLevel.INFO,
                LogFormat.TEXT);
    }

    private static EdgeConfig loadWithoutFile() {
        return EdgeConfigLoader.load(Optional.empty(), ConfigFactory.empty(), new Properties());
    }

    private EdgeConfig load(String hocon) {
        return ConfigFiles.load(dir, hocon);
    }

    private List<String> problems(String hocon) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(hocon));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        assertEquals(documentedDefaults(), loadWithoutFile());
    }

    @Test
    void everyKeyCanBeOverriddenFromTheFile() {
        EdgeConfig loaded = load("""
                log_level = warn
                log_format = json
                listen = ["127.0.0.1:1936", 1937]
                max_connections = 5
                chunk_size = 4096
                handshake_timeout = 2s
                idle_timeout = 0
                queue_length = 5s
                queue_max_bytes = 1MiB
                gop_cache = off
                gop_cache_max_bytes = 2MiB
                mw_latency = 0
                grace_start_wait = 700
                grace_final_wait = 800ms
                force_grace_quit = on
                drain_timeout = 5m
                drain_spread = 0
                cluster {
                  mode = remote
                  origin = ["10.0.0.1:19350", "origin.example"]
                  origin_selection = consistent_hash
                  connect_timeout = 700ms
                  play_timeout = 1m
                  retry { initial_backoff = 100ms, max_backoff = 2s, multiplier = 1.5, jitter = 0 }
                  idle_close = 0s
                  publish_replay_max_bytes = 0
                  upstream_lost_timeout = 20s
                  stall_timeout = 4s
                  probe_interval = 1s
                  parallel_asks = 2
                }
                http_api { enabled = no, listen = "127.0.0.1:8080", drain_token = "s3cr3t-T0ken" }
                limits {
                  max_message_length = 1MiB
                  max_partial_bytes = 2MiB
                  max_chunk_streams = 10
                  amf_max_depth = 8
                  amf_max_string_length = 64KiB
                  amf_max_elements = 100
                  min_chunk_size = 128
                  max_commands_per_second = 0
                  command_burst = 5
                  publish_lead_warn = 2s
                  publish_lead_max = 0
                  ack_warn_windows = 0
                  ack_max_windows = 3
                }
                """);
        EdgeConfig expected = new EdgeConfig(
                List.of(new ListenAddress("127.0.0.1", 1936), new ListenAddress("0.0.0.0", 1937)),
                5,
                4096,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofSeconds(5),
                MIB,
                false,
                2 * MIB,
                Duration.ZERO,
                new ClusterConfig(
                        Mode.REMOTE,
                        List.of(new OriginAddress("10.0.0.1", 19350), new OriginAddress("origin.example", 1935)),
                        OriginSelection.CONSISTENT_HASH,
                        Duration.ofMillis(700),
                        Duration.ofMinutes(1),
                        new RetryConfig(Duration.ofMillis(100), Duration.ofSeconds(2), 1.5, 0.0),
                        Duration.ZERO,
                        0,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(1),
                        2),
                new HttpApiConfig(false, new ListenAddress("127.0.0.1", 8080), "s3cr3t-T0ken"),
                new LimitsConfig(
                        MIB, 2 * MIB, 10, 8, 64 * KIB, 100, 128, 0, 5, Duration.ofSeconds(2), Duration.ZERO, 0, 3),
                List.of(),
                new GraceConfig(
                        Duration.ofMillis(700), Duration.ofMillis(800), true, Duration.ofMinutes(5), Duration.ZERO),
                LogLevel.WARN,
                LogFormat.JSON);
        assertEquals(expected, loaded);
    }

    @Test
    void aBareNumberDurationIsMilliseconds() {
        EdgeConfig loaded = load("handshake_timeout = 3000\ncluster.connect_timeout = \"250\"");
        assertEquals(
                List.of(Duration.ofMillis(3000), Duration.ofMillis(250)),
                List.of(loaded.handshakeTimeout(), loaded.cluster().connectTimeout()));
    }

    @Test
    void aBareNumberSizeIsBytes() {
        assertEquals(100_000L, load("queue_max_bytes = 100000").queueMaxBytes());
    }

    @Test
    void booleansAcceptOnOffTrueFalseYesNo() {
        List<Boolean> values = List.of("on", "off", "true", "false", "yes", "no").stream()
                .map(word -> load("gop_cache = " + word).gopCache())
                .toList();
        assertEquals(List.of(true, false, true, false, true, false), values);
    }

    @Test
    void systemPropertiesOverrideTheFile() {
        Properties properties = new Properties();
        properties.setProperty("max_connections", "5");
        properties.setProperty("cluster.mode", "remote");
        properties.setProperty("cluster.origin", "127.0.0.1:19350");
        Path file = ConfigFiles.write(dir, "max_connections = 100");
        EdgeConfig loaded = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), properties);
        assertEquals(
                List.of(5, Mode.REMOTE, List.of(new OriginAddress("127.0.0.1", 19350))),
                List.of(
                        loaded.maxConnections(),
                        loaded.cluster().mode(),
                        loaded.cluster().origins()));
    }

    @Test
    void systemPropertiesCanGiveAListByIndex() {
        Properties properties = new Properties();
        properties.setProperty("listen.0", "1936");
        properties.setProperty("listen.1", "127.0.0.1:1937");
        EdgeConfig loaded = EdgeConfigLoader.load(Optional.empty(), ConfigFactory.empty(), properties);
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1936), new ListenAddress("127.0.0.1", 1937)), loaded.listen());
    }

    @Test
    void configFileSystemPropertyIsUsedWhenNoFileIsGiven() {
        Properties properties = new Properties();
        properties.setProperty(
                "config.file", ConfigFiles.write(dir, "max_connections = 42").toString());
        assertEquals(
                42,
                EdgeConfigLoader.load(Optional.empty(), ConfigFactory.empty(), properties)
                        .maxConnections());
    }

    @Test
    void theGivenFileWinsOverConfigFileSystemProperty() {
        Properties properties = new Properties();
        properties.setProperty(
                "config.file", ConfigFiles.write(dir, "max_connections = 42").toString());
        Path given = ConfigFiles.write(dir, "max_connections = 43");
        assertEquals(
                43,
                EdgeConfigLoader.load(Optional.of(given), ConfigFactory.empty(), properties)
                        .maxConnections());
    }

    @Test
    void environmentOverridesWinOverSystemPropertiesAndTheFile() {
        // What ConfigFactory.systemEnvironmentOverrides() yields for CONFIG_FORCE_max___connections=7
        // and CONFIG_FORCE_cluster_retry_jitter=0.5.
        var env =
                ConfigFactory.parseMap(Map.of("max_connections", "7", "cluster.retry.jitter", "0.5"), "env variables");
        Properties properties = new Properties();
        properties.setProperty("max_connections", "6");
        Path file = ConfigFiles.write(dir, "max_connections = 5");
        EdgeConfig loaded = EdgeConfigLoader.load(Optional.of(file), env, properties);
        assertEquals(
                List.of(7, 0.5),
                List.of(loaded.maxConnections(), loaded.cluster().retry().jitter()));
    }

    @Test
    void unknownEnvironmentOverrideIsAProblem() {
        var env = ConfigFactory.parseMap(Map.of("max_conections", "7"), "env variables");
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class, () -> EdgeConfigLoader.load(Optional.empty(), env, new Properties()));
        assertEquals(
                List.of("max_conections = \"7\": expected a known key (unknown key; did you mean max_connections?)"),
                e.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void unrelatedSystemPropertiesAreNotUnknownKeys() {
        Properties properties = new Properties();
        properties.setProperty("java.version", "17");
        properties.setProperty("some.library.setting", "x");
        assertEquals(documentedDefaults(), EdgeConfigLoader.load(Optional.empty(), ConfigFactory.empty(), properties));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = problems("""
                max_connections = 0
                chunk_size = 100
                handshake_timeout = 1 fortnight
                cluster.mode = remot
                max_conection = 5
                """);
        assertEquals(
                List.of(
                        "max_connections = 0: expected an integer 1..1000000",
                        "chunk_size = 100: expected a size 128..16777215 bytes",
                        "handshake_timeout = \"1 fortnight\": expected a duration > 0 such as 500ms, 2s or 1m (a bare number is milliseconds)",
                        "cluster.mode = \"remot\": expected one of local, remote",
                        "max_conection = 5: expected a known key (unknown key; did you mean max_connections?)"),
                problems);
    }

    @Test
    void theAppLabelIsOffByDefaultAndItsBoundIsChecked() {
        HttpApiConfig defaults = load("").httpApi();
        assertEquals(List.of(false, 20), List.of(defaults.appLabel(), defaults.appLabelMax()));
        HttpApiConfig on = load("http_api { metrics_app_label = on, metrics_app_label_max = 3 }")
                .httpApi();
        assertEquals(List.of(true, 3), List.of(on.appLabel(), on.appLabelMax()));
        assertEquals(
                List.of("http_api.metrics_app_label_max = 0: expected an integer 1..1000"),
                problems("http_api.metrics_app_label_max = 0"));
    }

    @Test
    void exceptionMessageListsOneProblemPerLine() {
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> load("cluster.mode = remot\ngop_cache = maybe"));
        assertEquals("""
                invalid configuration (2 problems):
                gop_cache = "maybe": expected on, off, true, false, yes or no
                cluster.mode = "remot": expected one of local, remote""", e.getMessage());
    }

    @Test
    void unknownKeyInASectionSuggestsTheClosestKey() {
        assertEquals(
                List.of("cluster.origni = \"a:1\": expected a known key (unknown key; did you mean cluster.origin?)"),
                problems("cluster { origni = \"a:1\" }"));
    }

    @Test
    void unknownKeyAtTheWrongLevelSuggestsTheKeyByItsLastSegment() {
        assertEquals(
                List.of("jitter = 0.1: expected a known key (unknown key; did you mean cluster.retry.jitter?)"),
                problems("jitter = 0.1"));
    }

    @Test
    void unknownSectionIsReportedOnce() {
        assertEquals(
                List.of("clustr = {\"mode\":\"remote\"}: expected a known key (unknown key; did you mean cluster?)"),
                problems("clustr { mode = remote }"));
    }

    @Test
    void aSectionGivenAPlainValueIsOneProblem() {
        assertEquals(
                List.of("cluster.retry = 5: expected an object (a section with keys)"), problems("cluster.retry = 5"));
    }

    @Test
    void remoteModeNeedsAnOrigin() {
        assertEquals(
                List.of("cluster.origin = []: expected at least one origin when cluster.mode = remote"),
                problems("cluster.mode = remote"));
    }

    @Test
    void localModeWithOriginsLoadsWithAWarning() {
        EdgeConfig loaded = load("cluster.origin = [\"127.0.0.1:19350\"]");
        assertEquals(
                List.of("cluster.origin lists 1 origin(s) but cluster.mode = local: the origins are ignored"),
                loaded.warnings());
    }

    @Test
    void srsStyleOriginStringHoldsSeveralOrigins() {
        EdgeConfig loaded =
                load("cluster { mode = remote, origin = \"127.0.0.1:19350 127.0.0.1:19351  origin.example\" }");
        assertEquals(
                List.of(
                        new OriginAddress("127.0.0.1", 19350),
                        new OriginAddress("127.0.0.1", 19351),
                        new OriginAddress("origin.example", 1935)),
                loaded.cluster().origins());
    }

    @Test
    void badOriginEntriesAreEachAProblem() {
        assertEquals(
                List.of(
                        "cluster.origin[0] = \"127.0.0.1:99999\": expected \"host:port\" or \"host\" with port 1..65535 (port 1..65535)",
                        "cluster.origin[1] = \":1935\": expected \"host:port\" or \"host\" with port 1..65535 (empty host)",
                        "cluster.origin[2] = \"h:0\": expected \"host:port\" or \"host\" with port 1..65535 (port 1..65535)"),
                problems("cluster { mode = remote, origin = [\"127.0.0.1:99999\", \":1935\", \"h:0\"] }"));
    }

    @Test
    void listenAcceptsANumber() {
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1936)),
                load("listen = 1936").listen());
    }

    @Test
    void listenAcceptsAString() {
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1936)),
                load("listen = \"1936\"").listen());
    }

    @Test
    void listenAcceptsHostAndPort() {
        assertEquals(
                List.of(new ListenAddress("127.0.0.1", 19360)),
                load("listen = \"127.0.0.1:19360\"").listen());
    }

    @Test
    void listenAcceptsAList() {
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1935), new ListenAddress("127.0.0.1", 1936)),
                load("listen = [\"1935\", \"127.0.0.1:1936\"]").listen());
    }

    @Test
    void listenAcceptsABracketedIpv6Host() {
        EdgeConfig loaded = load("listen = \"[::1]:1936\"");
        assertEquals("[::1]:1936", loaded.listen().get(0).toString());
    }

    @Test
    void listenAddressPrintsHostColonPort() {
        assertEquals("0.0.0.0:1935", new ListenAddress("0.0.0.0", 1935).toString());
    }

    @Test
    void duplicateListenAddressesAreAProblem() {
        assertEquals(
                List.of("listen = [1935,\"0.0.0.0:1935\"]: expected distinct addresses (0.0.0.0:1935 appears twice)"),
                problems("listen = [1935, \"0.0.0.0:1935\"]"));
    }

    @Test
    void badListenEntriesAreProblems() {
        assertEquals(
                List.of(
                        "listen[0] = 70000: expected a port 0..65535 (port 0..65535)",
                        "listen[1] = \"host:\": expected a port 0..65535 or \"host:port\" (port 0..65535)",
                        "listen[2] = \"localhost\": expected a port 0..65535 or \"host:port\" (no port)"),
                problems("listen = [70000, \"host:\", \"localhost\"]"));
    }

    @Test
    void emptyListenIsAProblem() {
        assertEquals(List.of("listen = []: expected at least one address"), problems("listen = []"));
    }

    @Test
    void httpApiMayNotShareAnRtmpAddress() {
        assertEquals(
                List.of(
                        "http_api.listen = 1935: expected an address no RTMP listener uses (0.0.0.0:1935 is in listen)"),
                problems("http_api.listen = 1935"));
    }

    @Test
    void partialBytesBelowMessageLengthIsAProblem() {
        assertEquals(
                List.of("limits.max_partial_bytes = \"1MiB\": expected a size >= limits.max_message_length (8MiB)"),
                problems("limits.max_partial_bytes = 1MiB"));
    }

    @Test
    void hostileInputLimitsOutOfRangeAreProblems() {
        assertEquals(
                List.of(
                        "limits.min_chunk_size = 0: expected a size 1..65536 bytes",
                        "limits.max_commands_per_second = -1: expected an integer 0..1000000",
                        "limits.command_burst = 0: expected an integer 1..1000000"),
                problems("limits { min_chunk_size = 0, max_commands_per_second = -1, command_burst = 0 }"));
    }

    @Test
    void ackMaxWindowsBelowTheWarningIsAProblem() {
        assertEquals(
                List.of("limits.ack_max_windows = 2: expected 0 (never) or a count >= limits.ack_warn_windows (4)"),
                problems("limits.ack_max_windows = 2"));
    }

    @Test
    void publishLeadMaxBelowTheWarningIsAProblem() {
        assertEquals(
                List.of(
                        "limits.publish_lead_max = \"5s\": expected 0 (off) or a duration >= limits.publish_lead_warn (10s)"),
                problems("limits.publish_lead_max = 5s"));
    }

    @Test
    void maxBackoffBelowInitialBackoffIsAProblem() {
        assertEquals(
                List.of(
                        "cluster.retry.max_backoff = \"1s\": expected a duration >= cluster.retry.initial_backoff (2s)"),
                problems("cluster.retry { initial_backoff = 2s, max_backoff = 1s }"));
    }

    @Test
    void rangeChecksOnNumbers() {
        assertEquals(
                List.of(
                        "limits.max_message_length = \"16MiB\": expected a size 1..16777215 bytes",
                        "cluster.retry.multiplier = 0.5: expected a number >= 1.0",
                        "cluster.retry.jitter = 1.5: expected a number 0.0..1.0",
                        "queue_max_bytes = 1000: expected a size >= 64KiB",
                        "idle_timeout = \"-1s\": expected a duration >= 0 such as 500ms, 2s or 1m (0 = off; a bare number is milliseconds)",
                        "max_connections = 1.5: expected an integer 1..1000000"),
                problems("limits.max_message_length = 16MiB\ncluster.retry { multiplier = 0.5, jitter = 1.5 }\n"
                                + "queue_max_bytes = 1000\nidle_timeout = -1s\nmax_connections = 1.5")
                        .stream()
                        .sorted((a, b) -> Integer.compare(order(a), order(b)))
                        .toList());
    }

    private static int order(String problem) {
        List<String> keys = List.of(
                "limits.max_message_length",
                "cluster.retry.multiplier",
                "cluster.retry.jitter",
                "queue_max_bytes",
                "idle_timeout",
                "max_connections");
        for (int i = 0; i < keys.size(); i++) {
            if (problem.startsWith(keys.get(i) + " ")) {
                return i;
            }
        }
        return keys.size();
    }

    @Test
    void nullValueIsAProblem() {
        assertEquals(
                List.of("max_connections = null: expected an integer 1..1000000"), problems("max_connections = null"));
    }

    @Test
    void missingFileIsAProblemNamingTheFile() {
        Path missing = dir.resolve("nope.conf");
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> EdgeConfigLoader.load(Optional.of(missing), ConfigFactory.empty(), new Properties()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void unparsableFileIsAProblemWithTheLineNumber() {
        Path file = ConfigFiles.write(dir, "max_connections = 5\ncluster {\n  mode = \n");
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties()));
        assertTrue(e.getMessage().contains(file.getFileName() + ": 4"), e.getMessage());
    }

    @Test
    void mergedWriteLatencyIsBounded() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("mw_latency = 3s"));
        assertTrue(e.getMessage().contains("mw_latency = \"3s\": expected a duration 0..2s"), e.getMessage());
        InvalidConfigException shorter =
                assertThrows(InvalidConfigException.class, () -> load("mw_latency = 1s\nqueue_length = 1s"));
        assertTrue(
                shorter.getMessage()
                        .contains("mw_latency = \"1s\": expected a duration shorter than queue_length (1s)"),
                shorter.getMessage());
    }

    @Test
    void renderedConfigurationLoadsBackEqual() {
        EdgeConfig original = load("listen = [\"[::1]:1936\", 1937]\ncluster { mode = remote, origin = \"a:1 b\" }\n"
                + "cluster.retry.multiplier = 1.5\nhandshake_timeout = 1500ms\nqueue_max_bytes = 100000");
        assertEquals(original, load(original.render()));
    }

    @Test
    void httpFlvMountsAndAddressesAreChecked() {
        assertEquals(
                List.of("http_server.flv.mount = \"/[stream].flv\": expected a path ending in [app]/[stream].flv,"
                        + " optionally after [vhost]/ or literal path segments (e.g. \"[vhost]/[app]/[stream].flv\","
                        + " \"/flv/[app]/[stream].flv\")"),
                problems("http_server.flv.mount = \"/[stream].flv\""));
        assertEquals(
                List.of("http_server.listen = \"127.0.0.1:1985\": expected an address the HTTP API does not use"
                        + " (127.0.0.1:1985 is http_api.listen)"),
                problems(
                        "http_server { enabled = on, listen = \"127.0.0.1:1985\" }, http_api.listen = \"127.0.0.1:1985\""));
        FlvMount mount = load("http_server.flv.mount = \"/flv/[app]/[stream].flv\"")
                .httpServer()
                .mount();
        assertEquals(List.of("live", "s1"), List.of(mount.match("/flv/live/s1.flv")));
        assertEquals(null, mount.match("/live/s1.flv"));
        assertEquals(null, mount.match("/flv/live/a/b.flv"));
        assertEquals(null, mount.match("/flv/live/.flv"));
    }

    @Test
    void renderPrintsDefaultsReadably() {
        assertEquals(
                "log_level = info, log_format = text, listen = [\"0.0.0.0:1935\"], max_connections = 1000, chunk_size = 60000, handshake_timeout = 10s, "
                        + "idle_timeout = 1m, queue_length = 30s, queue_max_bytes = 16MiB, gop_cache = on, gop_cache_max_bytes = 32MiB, "
                        + "mw_latency = 350ms, grace_start_wait = 2300ms, grace_final_wait = 3200ms, force_grace_quit = off, drain_timeout = 0s, drain_spread = 10s, "
                        + "cluster { mode = local, origin = [], origin_selection = round_robin, connect_timeout = 3s, play_timeout = 10s, "
                        + "retry { initial_backoff = 500ms, max_backoff = 15s, multiplier = 2.0, jitter = 0.3 }, idle_close = 5s, "
                        + "publish_replay_max_bytes = 16MiB, upstream_lost_timeout = 0s, stall_timeout = 3s, probe_interval = 300ms, parallel_asks = 3 }, "
                        + "http_api { enabled = on, listen = \"0.0.0.0:1985\", drain_token = \"\", max_connections = 128,"
                        + " metrics_app_label = off, metrics_app_label_max = 20 }, "
                        + "http_server { enabled = off, listen = \"0.0.0.0:8080\", max_connections = 10000, crossdomain = on, "
                        + "flv { enabled = on, mount = \"[vhost]/[app]/[stream].flv\" } }, "
                        + "http_limits { max_uri_length = 4KiB, max_header_size = 8KiB, request_timeout = 10s, keep_alive_timeout = 15s }, "
                        + "proxy_protocol { enabled = off, trusted = [] }, "
                        + "limits { max_message_length = 8MiB, max_partial_bytes = 16MiB, max_chunk_streams = 64, amf_max_depth = 64, "
                        + "amf_max_string_length = 1MiB, amf_max_elements = 65536, min_chunk_size = 1, max_commands_per_second = 50, "
                        + "command_burst = 200, publish_lead_warn = 10s, publish_lead_max = 30s, ack_warn_windows = 4, ack_max_windows = 0 }, "
                        + "security { token_secrets = [], token_clock_skew = 30s, hook_timeout = 3s, hook_fail_open = off, "
                        + "publish { allow = [], deny = [], token = off }, play { allow = [], deny = [], token = off }, "
                        + "http_hooks { on_connect = [], on_publish = [], on_unpublish = [], on_play = [], on_stop = [] }, apps {} }",
                documentedDefaults().render());
    }

    @Test
    void graceDefaultsAreSrsDefaults() {
        assertEquals(
                new GraceConfig(
                        Duration.ofMillis(2300), Duration.ofMillis(3200), false, Duration.ZERO, Duration.ofSeconds(10)),
                loadWithoutFile().grace());
    }

    @Test
    void graceWaitsAcceptZero() {
        GraceConfig grace = load("grace_start_wait = 0\ngrace_final_wait = 0s\ndrain_spread = 0")
                .grace();
        assertEquals(
                List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO),
                List.of(grace.startWait(), grace.finalWait(), grace.drainSpread()));
    }

    @Test
    void zeroDrainTimeoutMeansUnbounded() {
        assertEquals(
                List.of(false, true),
                List.of(
                        loadWithoutFile().grace().drainBounded(),
                        load("drain_timeout = 1m").grace().drainBounded()));
    }

    @Test
    void badGraceValuesAreEachAProblem() {
        String nonNegative =
                "expected a duration >= 0 such as 500ms, 2s or 1m (0 = off; a bare number is milliseconds)";
        assertEquals(
                List.of(
                        "grace_start_wait = \"-1ms\": " + nonNegative,
                        "grace_final_wait = \"soon\": " + nonNegative,
                        "force_grace_quit = \"sometimes\": expected on, off, true, false, yes or no",
                        "drain_timeout = \"-5s\": " + nonNegative,
                        "drain_spread = \"10 parsecs\": " + nonNegative),
                problems("grace_start_wait = -1ms\ngrace_final_wait = soon\nforce_grace_quit = sometimes\n"
                        + "drain_timeout = -5s\ndrain_spread = 10 parsecs"));
    }

    @Test
    void drainTokenIsRead() {
        assertEquals(
                "abc.DEF_123-~+/==",
                load("http_api.drain_token = \"abc.DEF_123-~+/==\"").httpApi().drainToken());
    }

    @Test
    void drainTokenWithForbiddenCharactersIsAProblemThatDoesNotShowIt() {
        assertEquals(
                List.of("http_api.drain_token = (redacted, 11 characters): expected \"\" or a bearer token of letters, "
                        + "digits and -._~+/ (RFC 6750 b64token, optionally ending in =)"),
                problems("http_api.drain_token = \"secret word\""));
    }

    @Test
    void drainTokenThatIsNotAStringIsAProblem() {
        assertEquals(
                List.of("http_api.drain_token = (redacted, a list): expected \"\" or a bearer token of letters, "
                        + "digits and -._~+/ (RFC 6750 b64token, optionally ending in =)"),
                problems("http_api.drain_token = [a]"));
    }

    @Test
    void renderRedactsTheDrainToken() {
        EdgeConfig loaded = load("http_api.drain_token = \"TopSecretValue42\"");
        assertEquals(
                List.of(false, true),
                List.of(
                        loaded.render().contains("TopSecretValue42"),
                        loaded.render().contains("drain_token = \"(redacted)\"")));
    }

    @Test
    void httpApiToStringRedactsTheDrainToken() {
        assertEquals(
                "HttpApiConfig[enabled=true, listen=0.0.0.0:1985, drainToken=(redacted), appLabel=false, appLabelMax=20]",
                new HttpApiConfig(true, new ListenAddress("0.0.0.0", 1985), "TopSecretValue42").toString());
    }

    @Test
    void renderedGraceSettingsLoadBackEqual() {
        EdgeConfig original = load("grace_start_wait = 700\ngrace_final_wait = 800\nforce_grace_quit = on\n"
                + "drain_timeout = 90s\ndrain_spread = 1500ms");
        assertEquals(original, load(original.render()));
    }

    @Test
    void logFormatIsValidated() {
        assertEquals(List.of("log_format = \"xml\": expected one of text, json"), problems("log_format = xml\n"));
    }

    @Test
    void renderedLogFormatLoadsBackEqual() {
        EdgeConfig original = load("log_format = json");
        assertEquals(original, load(original.render()));
    }

    @Test
    void logLevelIsValidated() {
        assertEquals(
                List.of("log_level = \"loud\": expected one of trace, debug, info, warn, error, off"),
                problems("log_level = loud\n"));
    }
}
