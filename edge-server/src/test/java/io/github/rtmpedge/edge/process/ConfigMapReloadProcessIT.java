package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A configuration mounted from a ConfigMap is reloaded when Kubernetes updates it, without a
 * rollout or a signal: the real process, its file laid out as the kubelet lays out a ConfigMap
 * volume (a directory per version, {@code ..data} linking the current one, the key linking through
 * it) and updated as the kubelet does it, by swapping {@code ..data} atomically.
 */
class ConfigMapReloadProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger VERSIONS = new AtomicInteger();

    @Test
    void anUpdateIsAppliedLiveAndABrokenOneIsRejected() throws IOException {
        Path volume = Files.createDirectories(EdgeProcess.LOGS.resolve("configmap-" + System.nanoTime()))
                .toAbsolutePath();
        publish(volume, EdgeProcess.LOOPBACK_PORTS + "max_connections = 50\n");
        Files.createSymbolicLink(volume.resolve("edge.conf"), Path.of("..data", "edge.conf"));

        try (EdgeProcess edge = EdgeProcess.startWithFile("configmap", volume.resolve("edge.conf"))) {
            edge.awaitLog(Pattern.compile("is in a ConfigMap volume: an update reloads it"), WAIT);

            publish(volume, EdgeProcess.LOOPBACK_PORTS + "max_connections = 1\n");
            edge.awaitLog(Pattern.compile("changed \\(ConfigMap update\\): reloading"), WAIT);
            edge.awaitLog(Pattern.compile("configuration reloaded from"), WAIT);
            // The new limit applies to new connections: a second one at once is refused.
            try (Socket first = connect(edge);
                    Socket second = connect(edge)) {
                edge.awaitLog(Pattern.compile("max_connections \\(1\\) reached"), WAIT);
                assertEquals(-1, second.getInputStream().read(), "the second connection is closed");
                assertTrue(first.isConnected());
            }

            publish(volume, EdgeProcess.LOOPBACK_PORTS + "max_connections = zero\n");
            edge.awaitLog(Pattern.compile("reload rejected, the running configuration stays in force"), WAIT);
            assertTrue(edge.isAlive(), edge::describe);
            assertEquals(200, edge.readyz(), edge::describe);
        }
    }

    /** What the kubelet does: the content in a new directory, then ..data swapped to it atomically. */
    private static void publish(Path volume, String content) {
        try {
            String version = "..2026_12_04_00_00_00." + VERSIONS.incrementAndGet();
            Path dir = Files.createDirectory(volume.resolve(version));
            Files.writeString(dir.resolve("edge.conf"), content, StandardCharsets.UTF_8);
            Path next = Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of(version));
            Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(EdgeProcess edge) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", edge.rtmpPort()), 2_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }
}
