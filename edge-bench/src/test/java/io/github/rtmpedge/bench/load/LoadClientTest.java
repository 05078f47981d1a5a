package io.github.rtmpedge.bench.load;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load client against the real server, in-process on 127.0.0.1: one publisher sending
 * {@link TestMedia#small()} in real time, 20 players.
 */
class LoadClientTest {

    private static final int PLAYERS = 20;

    @TempDir
    Path dir;

    private EdgeServer server;
    private LoadClient client;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
        // The client's own lines, next to the server's log in the surefire output file.
        System.out.print(output.toString(StandardCharsets.UTF_8));
    }

    private int startServer() throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(
                file,
                "listen = [\"127.0.0.1:0\"]\nhttp_api { listen = \"127.0.0.1:0\" }\n"
                        + "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n");
        server = new EdgeServer(EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties()))
                .start();
        return server.rtmpAddresses().get(0).getPort();
    }

    private LoadClient startClient(int port, String reconnectDelay) throws Exception {
        LoadOptions options = LoadOptions.parse(
                "--url",
                "rtmp://127.0.0.1:" + port + "/live/load",
                "--players",
                String.valueOf(PLAYERS),
                "--publishers",
                "1",
                "--flv",
                TestMedia.small().toString(),
                "--duration",
                "6s",
                "--ramp",
                "200/s",
                "--reconnect-delay",
                reconnectDelay,
                "--threads",
                "1");
        client = LoadClient.start(options, new PrintStream(output, true, StandardCharsets.UTF_8));
        return client;
    }

    @Test
    void everyPlayerIsFedInRealTimeAndGetsAKeyframeQuickly() throws Exception {
        startClient(startServer(), "0ms");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> client.elapsedNanos() >= Duration.ofSeconds(6).toNanos());

        LoadSnapshot result = client.stop();

        assertEquals(PLAYERS, result.playersConnected(), result::toJson);
        assertEquals(PLAYERS, result.playersFed(), result::toJson);
        assertTrue(result.firstKeyframeP50Ms() >= 0 && result.firstKeyframeP50Ms() < 1000, result::toJson);
        assertEquals(0, result.failedConnects(), result::toJson);
        assertEquals(0, result.reconnects(), result::toJson);
        assertTrue(result.mediaMbps() > 0, result::toJson);
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("RESULT {\"seconds\":"), output::toString);
    }

    /** HTTP-FLV players beside RTMP players, measured the same way. */
    @Test
    void httpFlvPlayersAreFedInRealTimeBesideRtmpPlayers() throws Exception {
        int port = startServer();
        LoadOptions options = LoadOptions.parse(
                "--url",
                "rtmp://127.0.0.1:" + port + "/live/load",
                "--players",
                "5",
                "--flv-players",
                "5",
                "--flv-url",
                "http://127.0.0.1:" + server.flvAddress().getPort() + "/live/load.flv",
                "--publishers",
                "1",
                "--flv",
                TestMedia.small().toString(),
                "--duration",
                "6s",
                "--threads",
                "1");
        client = LoadClient.start(options, new PrintStream(output, true, StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> client.elapsedNanos() >= Duration.ofSeconds(6).toNanos());
        int flvPlayersOnTheServer = server.flv().countByRole(io.github.rtmpedge.edge.stream.Role.PLAYER);

        LoadSnapshot result = client.stop();

        assertEquals(10, result.playersConnected(), result::toJson);
        assertEquals(10, result.playersFed(), result::toJson);
        assertEquals(0, result.failedConnects(), result::toJson);
        assertEquals(5, flvPlayersOnTheServer, "the server counts 5 HTTP-FLV players");
    }

    @Test
    void playersReconnectAndCountFailuresOnceTheServerIsGone() throws Exception {
        startClient(startServer(), "200ms");
        await().atMost(Duration.ofSeconds(15)).until(() -> client.snapshot().playersConnected() == PLAYERS);
        assertEquals(0, client.snapshot().failedConnects());

        server.close();
        server = null;

        await().atMost(Duration.ofSeconds(15)).until(() -> client.snapshot().failedConnects() >= 2L * PLAYERS);
        LoadSnapshot result = client.stop();
        assertTrue(result.reconnects() >= 2L * PLAYERS, result::toJson);
        assertEquals(0, result.playersConnected(), result::toJson);
    }
}
