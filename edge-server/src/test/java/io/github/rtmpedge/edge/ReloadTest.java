package io.github.rtmpedge.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP's reload on an in-process server: what applies live, and a broken file rejected. */
class ReloadTest {

    private static final String BASE = "listen = [\"127.0.0.1:0\"]\nhttp_api { enabled = off }\n";

    @TempDir
    Path dir;

    private EdgeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        root().setLevel(Level.INFO);
    }

    private static ch.qos.logback.classic.Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void liveKeysApplyAndABrokenFileIsRejected() throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, BASE + "max_connections = 50\n");
        server = new EdgeServer(
                        EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties()),
                        Optional.of(file),
                        () -> {})
                .start();
        assertEquals(50, server.rtmp().tracker().maxConnections());
        assertEquals(Level.INFO, root().getLevel());

        Files.writeString(file, BASE + "max_connections = 7\nlog_level = debug\n");
        assertTrue(server.reload());
        assertEquals(7, server.rtmp().tracker().maxConnections());
        assertEquals(Level.DEBUG, root().getLevel());
        assertEquals(7, server.config().maxConnections());

        Files.writeString(file, BASE + "max_connections = oops\n");
        assertFalse(server.reload());
        assertEquals(7, server.rtmp().tracker().maxConnections(), "the old configuration stays in force");
        assertEquals(Level.DEBUG, root().getLevel());
    }
}
