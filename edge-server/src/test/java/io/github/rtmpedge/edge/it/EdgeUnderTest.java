package io.github.rtmpedge.edge.it;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Our server, in this JVM, from a HOCON file: it listens on 127.0.0.1 and a port the OS picks, and
 * the HTTP API is off. {@code extraHocon} is appended to that base.
 */
final class EdgeUnderTest implements AutoCloseable {

    static final String APP = "live";

    private final EdgeServer server;
    private final InetSocketAddress address;

    private EdgeUnderTest(EdgeServer server) {
        this.server = server;
        this.address = server.rtmpAddresses().get(0);
    }

    static EdgeUnderTest start(Path dir, String extraHocon) {
        String hocon = "listen = [\"127.0.0.1:0\"]\n" + "http_api.enabled = off\n" + extraHocon + "\n";
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "edge-", ".conf");
            Files.writeString(file, hocon, StandardCharsets.UTF_8);
            EdgeConfig config = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
            return new EdgeUnderTest(new EdgeServer(config).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the server", e);
        }
    }

    /** Remote mode (play and publish edge) in front of {@code originPorts} on 127.0.0.1, in that order. */
    static EdgeUnderTest remote(Path dir, String extraHocon, int... originPorts) {
        StringBuilder origins = new StringBuilder();
        for (int port : originPorts) {
            origins.append(origins.length() == 0 ? "" : ", ")
                    .append("\"127.0.0.1:")
                    .append(port)
                    .append('"');
        }
        return start(dir, "cluster {\n  mode = remote\n  origin = [" + origins + "]\n}\n" + extraHocon);
    }

    EdgeServer server() {
        return server;
    }

    int port() {
        return address.getPort();
    }

    /** {@code rtmp://127.0.0.1:<port>/live/<stream>}. */
    String rtmpUrl(String stream) {
        return "rtmp://127.0.0.1:" + port() + "/" + APP + "/" + stream;
    }

    @Override
    public void close() {
        server.close();
    }
}
