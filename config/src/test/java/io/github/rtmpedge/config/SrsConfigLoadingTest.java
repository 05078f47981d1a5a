package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.ClusterConfig.Mode;
import io.github.rtmpedge.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SRS-syntax files through {@link EdgeConfigLoader}: each supported directive, its unit, and what is ignored. */
class SrsConfigLoadingTest {

    @TempDir
    Path dir;

    private Path write(String srs) {
        try {
            return Files.writeString(dir.resolve("srs.conf"), srs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private EdgeConfig load(String srs) {
        return EdgeConfigLoader.load(Optional.of(write(srs)), ConfigFactory.empty(), new Properties());
    }

    private List<Problem> problems(String srs) {
        return assertThrows(InvalidConfigException.class, () -> load(srs)).problems();
    }

    private String where(int line) {
        return dir.resolve("srs.conf") + ":" + line;
    }

    @Test
    void loaderDetectsTheSrsSyntax() {
        assertEquals(ConfigSyntax.SRS, EdgeConfigLoader.syntaxOf(write("listen 1935;")));
    }

    @Test
    void srsLogLevelWordsMapToOurs() {
        assertEquals(
                List.of(LogLevel.TRACE, LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR),
                List.of(
                        load("srs_log_level verbose;").logLevel(),
                        load("srs_log_level info;").logLevel(),
                        load("srs_log_level trace;").logLevel(),
                        load("srs_log_level warn;").logLevel(),
                        load("srs_log_level error;").logLevel()));
    }

    @Test
    void listenTakesSeveralArguments() {
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1935), new ListenAddress("127.0.0.1", 1936)),
                load("listen 1935 127.0.0.1:1936;").listen());
    }

    @Test
    void severalListenLinesAddUpWithAWarning() {
        EdgeConfig loaded = load("listen 1935;\nlisten 1936;");
        assertEquals(
                List.of(
                        List.of(new ListenAddress("0.0.0.0", 1935), new ListenAddress("0.0.0.0", 1936)),
                        List.of("SRS directive `listen` at line 2 adds to the one at line 1 "
                                + "(rtmp-edge uses every listen line; SRS would read only the first)")),
                List.of(loaded.listen(), loaded.warnings()));
    }

    @Test
    void srs7RtmpBlockListen() {
        assertEquals(
                List.of(new ListenAddress("0.0.0.0", 1937)),
                load("rtmp { listen 1937; }").listen());
    }

    @Test
    void maxConnections() {
        assertEquals(5, load("max_connections 5;").maxConnections());
    }

    @Test
    void chunkSizeAtTopLevel() {
        assertEquals(4096, load("chunk_size 4096;").chunkSize());
    }

    @Test
    void chunkSizeOfTheDefaultVhostWinsOverTheTopLevelOneWithAWarning() {
        EdgeConfig loaded = load("chunk_size 4096;\nvhost __defaultVhost__ {\n  chunk_size 8192;\n}");
        assertEquals(
                List.of(
                        8192,
                        List.of("SRS directive `chunk_size` at line 1: ignored "
                                + "(the `chunk_size` of vhost __defaultVhost__ at line 3 applies)")),
                List.of(loaded.chunkSize(), loaded.warnings()));
    }

    @Test
    void graceWaitsAreMilliseconds() {
        GraceConfig grace = load("grace_start_wait 700;\ngrace_final_wait 0;").grace();
        assertEquals(List.of(Duration.ofMillis(700), Duration.ZERO), List.of(grace.startWait(), grace.finalWait()));
    }

    @Test
    void forceGraceQuitOn() {
        assertEquals(true, load("force_grace_quit on;").grace().forceGraceQuit());
    }

    @Test
    void httpApi() {
        assertEquals(
                new HttpApiConfig(false, new ListenAddress("127.0.0.1", 8080), ""),
                load("http_api { enabled off; listen 127.0.0.1:8080; }").httpApi());
    }

    @Test
    void clusterBlockGivesModeAndSpaceSeparatedOrigins() {
        ClusterConfig cluster = load("vhost __defaultVhost__ { cluster { mode remote; origin a:1 b; } }")
                .cluster();
        assertEquals(
                List.of(Mode.REMOTE, List.of(new OriginAddress("a", 1), new OriginAddress("b", 1935))),
                List.of(cluster.mode(), cluster.origins()));
    }

    @Test
    void srs2ModeAndOriginOutsideTheClusterBlock() {
        ClusterConfig cluster =
                load("vhost __defaultVhost__ { mode remote; origin a:1; }").cluster();
        assertEquals(
                List.of(Mode.REMOTE, List.of(new OriginAddress("a", 1))), List.of(cluster.mode(), cluster.origins()));
    }

    @Test
    void severalOriginLinesAddUp() {
        ClusterConfig cluster = load("vhost __defaultVhost__ { cluster { mode remote; origin a:1;\norigin b:2; } }")
                .cluster();
        assertEquals(List.of(new OriginAddress("a", 1), new OriginAddress("b", 2)), cluster.origins());
    }

    @Test
    void srs4PlayBlockGivesGopCacheAndQueueLengthInSeconds() {
        EdgeConfig loaded = load("vhost __defaultVhost__ { play { gop_cache off; queue_length 10; mw_latency 100; } }");
        assertEquals(
                List.of(false, Duration.ofSeconds(10), Duration.ofMillis(100)),
                List.of(loaded.gopCache(), loaded.queueLength(), loaded.mwLatency()));
    }

    @Test
    void srs3GopCacheAndQueueLengthOutsideThePlayBlock() {
        EdgeConfig loaded = load("vhost __defaultVhost__ { gop_cache off; queue_length 2.5; }");
        assertEquals(List.of(false, Duration.ofMillis(2500)), List.of(loaded.gopCache(), loaded.queueLength()));
    }

    @Test
    void httpServerAndHttpRemuxBecomeHttpFlv() {
        EdgeConfig loaded = load("""
                listen 1935;
                http_server { enabled on; listen 8088; crossdomain off; }
                vhost __defaultVhost__ {
                    http_remux { enabled on; mount [vhost]/flv/[app]/[stream].flv; }
                }
                """);
        HttpServerConfig http = loaded.httpServer();
        assertEquals(true, http.enabled());
        assertEquals(new ListenAddress("0.0.0.0", 8088), http.listen());
        assertEquals(false, http.crossDomain());
        assertEquals(true, http.flv());
        assertEquals("/flv/", http.mount().prefix());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void unsupportedDirectivesAreEachOneWarning() {
        EdgeConfig loaded = load("""
                listen 1935;
                daemon off;
                srs_log_tank console;
                http_server { enabled on; listen 8080; dir ./objs/nginx/html; }
                http_api { enabled on; crossdomain on; }
                vhost __defaultVhost__ {
                    hls { enabled on; }
                    play { gop_cache on; mw_min_msgs 8; }
                    cluster { mode local; token_traverse on; }
                }
                vhost other.example { cluster { mode remote; } }
                """);
        assertEquals(
                List.of(
                        "SRS directive `daemon` at line 2: ignored (rtmp-edge always runs in the foreground; run it under a supervisor)",
                        "unsupported SRS directive `srs_log_tank` at line 3: ignored",
                        "unsupported SRS directive `http_server > dir` at line 4: ignored",
                        "unsupported SRS directive `http_api > crossdomain` at line 5: ignored",
                        "unsupported SRS directive `vhost __defaultVhost__ > hls` at line 7: ignored",
                        "unsupported SRS directive `vhost __defaultVhost__ > play > mw_min_msgs` at line 8: ignored",
                        "unsupported SRS directive `vhost __defaultVhost__ > cluster > token_traverse` at line 9: ignored",
                        "unsupported SRS directive `vhost other.example` at line 11: ignored"),
                loaded.warnings());
    }

    @Test
    void warningForADirectiveFromAnIncludedFileNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("extra.conf"), "\npid ./objs/srs.pid;\n");
        assertEquals(
                List.of("unsupported SRS directive `pid` at line 2 of extra.conf: ignored"),
                load("listen 1935;\ninclude extra.conf;").warnings());
    }

    @Test
    void aBadValueIsReportedWithTheSrsLine() {
        assertEquals(
                List.of(new Problem(
                        "max_connections",
                        "\"0\"",
                        "an integer 1..1000000 (from SRS directive `max_connections 0` at " + where(2) + ")")),
                problems("listen 1935;\nmax_connections 0;"));
    }

    @Test
    void aBadDurationKeepsWhatWasWritten() {
        assertEquals(
                List.of(new Problem(
                        "grace_start_wait",
                        "\"soon\"",
                        "a duration >= 0 such as 500ms, 2s or 1m (0 = off; a bare number is milliseconds)"
                                + " (from SRS directive `grace_start_wait soon` at " + where(1) + ")")),
                problems("grace_start_wait soon;"));
    }

    @Test
    void aSingleValueDirectiveGivenTwiceIsAProblem() {
        assertEquals(
                List.of(new Problem(
                        where(2),
                        "\"max_connections 6\"",
                        "one `max_connections` (also given at line 1; SRS would read only the first)")),
                problems("max_connections 5;\nmax_connections 6;"));
    }

    @Test
    void aWrongNumberOfArgumentsIsAProblem() {
        assertEquals(
                List.of(
                        new Problem(where(1), "\"http_api\"", "`http_api { ... }` (a block without arguments)"),
                        new Problem(
                                where(2), "\"max_connections 5 6\"", "`max_connections VALUE;` (exactly one value)"),
                        new Problem(where(3), "\"listen\"", "`listen VALUE [VALUE...];`")),
                problems("http_api;\nmax_connections 5 6;\nlisten;"));
    }

    @Test
    void aSyntaxErrorIsAProblemWithFileAndLine() {
        assertEquals(
                List.of(new Problem(where(3), "\"}\"", "balanced braces (this `}` closes no block)")),
                problems("listen 1935;\nhttp_api { enabled on; }\n}"));
    }

    @Test
    void systemPropertiesOverrideAnSrsFile() {
        Properties properties = new Properties();
        properties.setProperty("max_connections", "7");
        properties.setProperty("cluster.origin", "10.0.0.1:1935");
        EdgeConfig loaded = EdgeConfigLoader.load(
                Optional.of(
                        write("max_connections 5;\nvhost __defaultVhost__ { cluster { mode remote; origin a:1; } }")),
                ConfigFactory.empty(),
                properties);
        assertEquals(
                List.of(7, List.of(new OriginAddress("10.0.0.1", 1935))),
                List.of(loaded.maxConnections(), loaded.cluster().origins()));
    }

    @Test
    void environmentOverridesAnSrsFile() {
        var env = ConfigFactory.parseMap(Map.of("grace_start_wait", "1s"), "env variables");
        EdgeConfig loaded = EdgeConfigLoader.load(Optional.of(write("grace_start_wait 700;")), env, new Properties());
        assertEquals(Duration.ofSeconds(1), loaded.grace().startWait());
    }

    @Test
    void configFileSystemPropertyMayNameAnSrsFile() {
        Properties properties = new Properties();
        properties.setProperty("config.file", write("max_connections 42;").toString());
        assertEquals(
                42,
                EdgeConfigLoader.load(Optional.empty(), ConfigFactory.empty(), properties)
                        .maxConnections());
    }

    @Test
    void anSrsFileWithOnlyDefaultsGivesTheDocumentedDefaults() {
        assertEquals(
                EdgeConfigLoaderTest.documentedDefaults(),
                load(
                        "listen 1935;\nmax_connections 1000;\nchunk_size 60000;\ngrace_start_wait 2300;\n"
                                + "grace_final_wait 3200;\nforce_grace_quit off;\nhttp_api { enabled on; listen 1985; }\n"
                                + "vhost __defaultVhost__ { cluster { mode local; } play { gop_cache on; queue_length 30; } }"));
    }
}
