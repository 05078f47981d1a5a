package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ConfigKey#restartNeeded}: what a reload leaves waiting for a restart. */
class RestartNeededTest {

    /** For each key, a file that changes it from its default (and only what it must to stay valid). */
    private static final Map<ConfigKey, String> CHANGES = new EnumMap<>(Map.ofEntries(
            Map.entry(ConfigKey.LOG_LEVEL, "log_level = debug"),
            Map.entry(ConfigKey.LOG_FORMAT, "log_format = json"),
            Map.entry(ConfigKey.LISTEN, "listen = [\"127.0.0.1:1936\"]"),
            Map.entry(ConfigKey.MAX_CONNECTIONS, "max_connections = 7"),
            Map.entry(ConfigKey.CHUNK_SIZE, "chunk_size = 4096"),
            Map.entry(ConfigKey.HANDSHAKE_TIMEOUT, "handshake_timeout = 2s"),
            Map.entry(ConfigKey.IDLE_TIMEOUT, "idle_timeout = 0"),
            Map.entry(ConfigKey.QUEUE_LENGTH, "queue_length = 5s"),
            Map.entry(ConfigKey.QUEUE_MAX_BYTES, "queue_max_bytes = 1MiB"),
            Map.entry(ConfigKey.GOP_CACHE, "gop_cache = off"),
            Map.entry(ConfigKey.GOP_CACHE_MAX_BYTES, "gop_cache_max_bytes = 2MiB"),
            Map.entry(ConfigKey.MW_LATENCY, "mw_latency = 100ms"),
            Map.entry(ConfigKey.GRACE_START_WAIT, "grace_start_wait = 1s"),
            Map.entry(ConfigKey.GRACE_FINAL_WAIT, "grace_final_wait = 1s"),
            Map.entry(ConfigKey.FORCE_GRACE_QUIT, "force_grace_quit = on"),
            Map.entry(ConfigKey.DRAIN_TIMEOUT, "drain_timeout = 1m"),
            Map.entry(ConfigKey.DRAIN_SPREAD, "drain_spread = 0"),
            Map.entry(ConfigKey.CLUSTER_MODE, "cluster { mode = remote, origin = [\"10.0.0.1\"] }"),
            Map.entry(ConfigKey.CLUSTER_ORIGIN, "cluster.origin = [\"10.0.0.1\"]"),
            Map.entry(ConfigKey.CLUSTER_ORIGIN_SELECTION, "cluster.origin_selection = consistent_hash"),
            Map.entry(ConfigKey.CLUSTER_CONNECT_TIMEOUT, "cluster.connect_timeout = 1s"),
            Map.entry(ConfigKey.CLUSTER_PLAY_TIMEOUT, "cluster.play_timeout = 1s"),
            Map.entry(ConfigKey.CLUSTER_RETRY_INITIAL_BACKOFF, "cluster.retry.initial_backoff = 1s"),
            Map.entry(ConfigKey.CLUSTER_RETRY_MAX_BACKOFF, "cluster.retry.max_backoff = 1m"),
            Map.entry(ConfigKey.CLUSTER_RETRY_MULTIPLIER, "cluster.retry.multiplier = 1.5"),
            Map.entry(ConfigKey.CLUSTER_RETRY_JITTER, "cluster.retry.jitter = 0"),
            Map.entry(ConfigKey.CLUSTER_IDLE_CLOSE, "cluster.idle_close = 0"),
            Map.entry(ConfigKey.CLUSTER_PUBLISH_REPLAY_MAX_BYTES, "cluster.publish_replay_max_bytes = 0"),
            Map.entry(ConfigKey.CLUSTER_UPSTREAM_LOST_TIMEOUT, "cluster.upstream_lost_timeout = 20s"),
            Map.entry(ConfigKey.CLUSTER_STALL_TIMEOUT, "cluster.stall_timeout = 5s"),
            Map.entry(ConfigKey.CLUSTER_PROBE_INTERVAL, "cluster.probe_interval = 1s"),
            Map.entry(ConfigKey.CLUSTER_PARALLEL_ASKS, "cluster.parallel_asks = 1"),
            Map.entry(ConfigKey.HTTP_API_ENABLED, "http_api.enabled = off"),
            Map.entry(ConfigKey.HTTP_API_LISTEN, "http_api.listen = \"127.0.0.1:8080\""),
            Map.entry(ConfigKey.HTTP_API_DRAIN_TOKEN, "http_api.drain_token = \"s3cr3t\""),
            Map.entry(ConfigKey.HTTP_API_MAX_CONNECTIONS, "http_api.max_connections = 4"),
            Map.entry(ConfigKey.HTTP_API_METRICS_APP_LABEL, "http_api.metrics_app_label = on"),
            Map.entry(ConfigKey.HTTP_API_METRICS_APP_LABEL_MAX, "http_api.metrics_app_label_max = 5"),
            Map.entry(ConfigKey.HTTP_SERVER_ENABLED, "http_server.enabled = on"),
            Map.entry(ConfigKey.HTTP_SERVER_LISTEN, "http_server.listen = 8081"),
            Map.entry(ConfigKey.HTTP_SERVER_MAX_CONNECTIONS, "http_server.max_connections = 5"),
            Map.entry(ConfigKey.HTTP_SERVER_CROSSDOMAIN, "http_server.crossdomain = off"),
            Map.entry(ConfigKey.HTTP_SERVER_FLV_ENABLED, "http_server.flv.enabled = off"),
            Map.entry(ConfigKey.HTTP_SERVER_FLV_MOUNT, "http_server.flv.mount = \"/flv/[app]/[stream].flv\""),
            Map.entry(ConfigKey.HTTP_LIMITS_MAX_URI_LENGTH, "http_limits.max_uri_length = 1KiB"),
            Map.entry(ConfigKey.HTTP_LIMITS_MAX_HEADER_SIZE, "http_limits.max_header_size = 2KiB"),
            Map.entry(ConfigKey.HTTP_LIMITS_REQUEST_TIMEOUT, "http_limits.request_timeout = 2s"),
            Map.entry(ConfigKey.HTTP_LIMITS_KEEP_ALIVE_TIMEOUT, "http_limits.keep_alive_timeout = 3s"),
            Map.entry(ConfigKey.PROXY_PROTOCOL_ENABLED, "proxy_protocol { enabled = on, trusted = [\"10.0.0.0/8\"] }"),
            Map.entry(ConfigKey.PROXY_PROTOCOL_TRUSTED, "proxy_protocol.trusted = [\"10.0.0.0/8\"]"),
            Map.entry(ConfigKey.LIMITS_MAX_MESSAGE_LENGTH, "limits.max_message_length = 1MiB"),
            Map.entry(ConfigKey.LIMITS_MAX_PARTIAL_BYTES, "limits.max_partial_bytes = 32MiB"),
            Map.entry(ConfigKey.LIMITS_MAX_CHUNK_STREAMS, "limits.max_chunk_streams = 10"),
            Map.entry(ConfigKey.LIMITS_AMF_MAX_DEPTH, "limits.amf_max_depth = 8"),
            Map.entry(ConfigKey.LIMITS_AMF_MAX_STRING_LENGTH, "limits.amf_max_string_length = 64KiB"),
            Map.entry(ConfigKey.LIMITS_AMF_MAX_ELEMENTS, "limits.amf_max_elements = 100"),
            Map.entry(ConfigKey.LIMITS_MIN_CHUNK_SIZE, "limits.min_chunk_size = 128"),
            Map.entry(ConfigKey.LIMITS_MAX_COMMANDS_PER_SECOND, "limits.max_commands_per_second = 0"),
            Map.entry(ConfigKey.LIMITS_COMMAND_BURST, "limits.command_burst = 5"),
            Map.entry(ConfigKey.LIMITS_PUBLISH_LEAD_WARN, "limits.publish_lead_warn = 2s"),
            Map.entry(ConfigKey.LIMITS_PUBLISH_LEAD_MAX, "limits.publish_lead_max = 0"),
            Map.entry(ConfigKey.LIMITS_ACK_WARN_WINDOWS, "limits.ack_warn_windows = 0"),
            Map.entry(ConfigKey.LIMITS_ACK_MAX_WINDOWS, "limits.ack_max_windows = 8"),
            Map.entry(ConfigKey.SECURITY_TOKEN_SECRETS, "security.token_secrets = [\"k1\"]"),
            Map.entry(ConfigKey.SECURITY_TOKEN_CLOCK_SKEW, "security.token_clock_skew = 5s"),
            Map.entry(ConfigKey.SECURITY_HOOK_TIMEOUT, "security.hook_timeout = 1s"),
            Map.entry(ConfigKey.SECURITY_HOOK_FAIL_OPEN, "security.hook_fail_open = on"),
            Map.entry(ConfigKey.SECURITY_PUBLISH_ALLOW, "security.publish.allow = [\"10.0.0.0/8\"]"),
            Map.entry(ConfigKey.SECURITY_PUBLISH_DENY, "security.publish.deny = [\"10.6.0.0/16\"]"),
            Map.entry(ConfigKey.SECURITY_PUBLISH_TOKEN, "security { token_secrets = [\"k1\"], publish.token = on }"),
            Map.entry(ConfigKey.SECURITY_PLAY_ALLOW, "security.play.allow = [\"::1\"]"),
            Map.entry(ConfigKey.SECURITY_PLAY_DENY, "security.play.deny = [\"192.0.2.7\"]"),
            Map.entry(ConfigKey.SECURITY_PLAY_TOKEN, "security { token_secrets = [\"k1\"], play.token = on }"),
            Map.entry(
                    ConfigKey.SECURITY_HTTP_HOOKS_ON_CONNECT,
                    "security.http_hooks.on_connect = [\"http://127.0.0.1:1/c\"]"),
            Map.entry(
                    ConfigKey.SECURITY_HTTP_HOOKS_ON_PUBLISH,
                    "security.http_hooks.on_publish = [\"http://127.0.0.1:1/p\"]"),
            Map.entry(
                    ConfigKey.SECURITY_HTTP_HOOKS_ON_UNPUBLISH,
                    "security.http_hooks.on_unpublish = [\"http://127.0.0.1:1/u\"]"),
            Map.entry(
                    ConfigKey.SECURITY_HTTP_HOOKS_ON_PLAY, "security.http_hooks.on_play = [\"http://127.0.0.1:1/p\"]"),
            Map.entry(
                    ConfigKey.SECURITY_HTTP_HOOKS_ON_STOP, "security.http_hooks.on_stop = [\"http://127.0.0.1:1/s\"]"),
            Map.entry(ConfigKey.SECURITY_APPS, "security.apps { live { play.allow = [\"::1\"] } }")));

    @TempDir
    Path dir;

    private EdgeConfig load(String hocon) {
        return ConfigFiles.load(dir, hocon);
    }

    @Test
    void everyKeyHasAChange() {
        assertEquals(Arrays.asList(ConfigKey.values()), List.copyOf(CHANGES.keySet()));
    }

    /**
     * Changing one key changes that key's value and no other (its accessor reads the right field),
     * and needs a restart exactly when the table says so.
     */
    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void aChangedKeyNeedsARestartExactlyWhenTheTableSaysSo(ConfigKey key) {
        EdgeConfig before = load("");
        EdgeConfig after = load(CHANGES.get(key));
        Config written = ConfigFactory.parseString(CHANGES.get(key));
        for (ConfigKey other : ConfigKey.values()) {
            boolean set = written.hasPath(other.path());
            assertEquals(
                    set,
                    !Objects.equals(other.value(before), other.value(after)),
                    other.path() + (set ? " should differ" : " should be unchanged") + " after " + CHANGES.get(key));
        }
        List<String> expected = key.reload() == ConfigKey.Reload.RESTART ? List.of(key.path()) : List.of();
        assertEquals(expected, ConfigKey.restartNeeded(before, after));
    }

    @Test
    void anUnchangedConfigurationNeedsNoRestart() {
        String hocon = "listen = [1936]\ncluster { mode = remote, origin = [\"a:1\"] }\nhttp_api.drain_token = \"t\"";
        assertEquals(List.of(), ConfigKey.restartNeeded(load(hocon), load(hocon)));
    }

    @Test
    void theKeysNeedingARestartAreListedInTableOrder() {
        EdgeConfig before = load("");
        EdgeConfig after = load("log_format = json\nhttp_api.listen = 8080\nlisten = [1936]\ngrace_final_wait = 0\n"
                + "max_connections = 5\ngop_cache_max_bytes = 1MiB");
        assertEquals(
                List.of("log_format", "listen", "gop_cache_max_bytes", "grace_final_wait", "http_api.listen"),
                ConfigKey.restartNeeded(before, after));
    }

    /** What the server builds once: listeners, HTTP server, stream registry (GOP cache), mode, quit timing, log encoder. */
    @Test
    void theRestartKeysAreWhatTheServerBuildsOnce() {
        List<String> restart = Arrays.stream(ConfigKey.values())
                .filter(k -> k.reload() == ConfigKey.Reload.RESTART)
                .map(ConfigKey::path)
                .toList();
        assertEquals(
                List.of(
                        "log_format",
                        "listen",
                        "chunk_size",
                        "gop_cache",
                        "gop_cache_max_bytes",
                        "grace_start_wait",
                        "grace_final_wait",
                        "force_grace_quit",
                        "drain_timeout",
                        "drain_spread",
                        "cluster.mode",
                        "http_api.enabled",
                        "http_api.listen",
                        "http_api.drain_token",
                        "http_api.max_connections",
                        "http_api.metrics_app_label",
                        "http_api.metrics_app_label_max",
                        "http_server.enabled",
                        "http_server.listen",
                        "http_server.max_connections",
                        "http_server.crossdomain",
                        "http_server.flv.enabled",
                        "http_server.flv.mount",
                        "http_limits.max_uri_length",
                        "http_limits.max_header_size",
                        "http_limits.request_timeout",
                        "http_limits.keep_alive_timeout"),
                restart);
    }
}
