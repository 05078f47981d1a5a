package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.ClusterConfig.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The files shipped in {@code config/examples} load as written. */
class ExampleFilesTest {

    /** Surefire sets {@code basedir} to the module directory, which is also its working directory. */
    private static final Path EXAMPLES =
            Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "examples");

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
    }

    private static EdgeConfig load(Path file) {
        return EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
    }

    @Test
    void bothDocumentedExamplesAreShipped() throws IOException {
        List<String> names =
                exampleFiles().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(
                names.containsAll(List.of("edge.conf", "standalone.conf", "srs-edge.conf", "srs-edge-twin.conf")),
                names.toString());
    }

    /** Only srs-edge.conf warns: it keeps SRS's {@code daemon off;} on purpose. */
    private static List<String> expectedWarnings(Path file) {
        return file.getFileName().toString().equals("srs-edge.conf")
                ? List.of(
                        "SRS directive `daemon` at line 6: ignored (rtmp-edge always runs in the foreground; run it under a supervisor)")
                : List.of();
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void loadsWithOnlyTheExpectedWarnings(Path file) {
        assertEquals(expectedWarnings(file), load(file).warnings());
    }

    @Test
    void srsEdgeIsReadAsSrsAndItsTwinAsHocon() {
        assertEquals(
                List.of(ConfigSyntax.SRS, ConfigSyntax.HOCON),
                List.of(
                        EdgeConfigLoader.syntaxOf(EXAMPLES.resolve("srs-edge.conf")),
                        EdgeConfigLoader.syntaxOf(EXAMPLES.resolve("srs-edge-twin.conf"))));
    }

    @Test
    void srsEdgeEqualsItsHoconTwin() {
        EdgeConfig srs = load(EXAMPLES.resolve("srs-edge.conf"));
        EdgeConfig twin = load(EXAMPLES.resolve("srs-edge-twin.conf"));
        // Warnings are not configuration: the SRS file's only difference is the ignored `daemon off;`.
        assertEquals(twin, withWarnings(srs, twin.warnings()));
    }

    @Test
    void srsEdgeWarnsAboutDaemon() {
        List<String> warnings = load(EXAMPLES.resolve("srs-edge.conf")).warnings();
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("`daemon`"), warnings.toString());
    }

    @Test
    void srsEdgeHoldsTheIssuesValues() {
        EdgeConfig srs = load(EXAMPLES.resolve("srs-edge.conf"));
        assertEquals(
                List.of(
                        List.of(new ListenAddress("0.0.0.0", 1935)),
                        1000,
                        new GraceConfig(
                                Duration.ofMillis(700),
                                Duration.ofMillis(800),
                                true,
                                Duration.ZERO,
                                Duration.ofSeconds(10)),
                        new HttpApiConfig(true, new ListenAddress("0.0.0.0", 1985), ""),
                        Mode.REMOTE,
                        List.of(new OriginAddress("127.0.0.1", 19350), new OriginAddress("127.0.0.1", 19351))),
                List.of(
                        srs.listen(),
                        srs.maxConnections(),
                        srs.grace(),
                        srs.httpApi(),
                        srs.cluster().mode(),
                        srs.cluster().origins()));
    }

    private static EdgeConfig withWarnings(EdgeConfig c, List<String> warnings) {
        return new EdgeConfig(
                c.listen(),
                c.maxConnections(),
                c.chunkSize(),
                c.handshakeTimeout(),
                c.idleTimeout(),
                c.queueLength(),
                c.queueMaxBytes(),
                c.gopCache(),
                c.gopCacheMaxBytes(),
                c.mwLatency(),
                c.cluster(),
                c.httpApi(),
                c.limits(),
                warnings,
                c.grace(),
                c.logLevel(),
                c.logFormat());
    }

    @Test
    void standaloneIsAnOriginOn1935() {
        EdgeConfig config = load(EXAMPLES.resolve("standalone.conf"));
        assertEquals(
                List.of(Mode.LOCAL, List.of(new ListenAddress("0.0.0.0", 1935))),
                List.of(config.cluster().mode(), config.listen()));
    }

    @Test
    void edgeLoadsExactlyAsWritten() {
        EdgeConfig config = load(EXAMPLES.resolve("edge.conf"));
        EdgeConfig expected = new EdgeConfig(
                List.of(new ListenAddress("127.0.0.1", 19360)),
                1000,
                config.chunkSize(),
                config.handshakeTimeout(),
                config.idleTimeout(),
                config.queueLength(),
                config.queueMaxBytes(),
                config.gopCache(),
                config.gopCacheMaxBytes(),
                config.mwLatency(),
                new ClusterConfig(
                        Mode.REMOTE,
                        List.of(new OriginAddress("127.0.0.1", 19350), new OriginAddress("127.0.0.1", 19351)),
                        config.cluster().originSelection(),
                        config.cluster().connectTimeout(),
                        config.cluster().playTimeout(),
                        config.cluster().retry(),
                        config.cluster().idleClose(),
                        config.cluster().publishReplayMaxBytes(),
                        config.cluster().upstreamLostTimeout(),
                        config.cluster().stallTimeout(),
                        config.cluster().probeInterval(),
                        config.cluster().parallelAsks()),
                new HttpApiConfig(true, new ListenAddress("127.0.0.1", 19850), ""),
                config.limits(),
                List.of(),
                config.grace(),
                config.logLevel(),
                config.logFormat());
        assertEquals(expected, config);
    }

    @Test
    void edgeKeepsDefaultsForWhatItDoesNotSet() {
        EdgeConfig config = load(EXAMPLES.resolve("edge.conf"));
        EdgeConfig defaults = EdgeConfigLoaderTest.documentedDefaults();
        assertEquals(
                List.of(
                        defaults.chunkSize(),
                        defaults.limits(),
                        defaults.cluster().retry()),
                List.of(config.chunkSize(), config.limits(), config.cluster().retry()));
    }
}
