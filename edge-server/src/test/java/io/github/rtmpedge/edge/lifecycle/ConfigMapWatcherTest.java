package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which configuration files are watched: those the kubelet mounts from a ConfigMap, no others. */
class ConfigMapWatcherTest {

    @TempDir
    Path dir;

    @Test
    void onlyAFileInAConfigMapVolumeIsWatched() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain")).resolve("edge.conf");
        Files.writeString(plain, "max_connections = 5\n");
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.createDirectories(volume.resolve("..2026_12_04.1"));
        Files.writeString(volume.resolve("..2026_12_04.1/edge.conf"), "max_connections = 5\n");
        Files.createSymbolicLink(volume.resolve(ConfigMapWatcher.DATA_LINK), Path.of("..2026_12_04.1"));
        Files.createSymbolicLink(volume.resolve("edge.conf"), Path.of("..data/edge.conf"));
        // A directory that merely holds a file named ..data is not the kubelet's layout.
        Path imitation = Files.createDirectories(dir.resolve("imitation"));
        Files.writeString(imitation.resolve(ConfigMapWatcher.DATA_LINK), "");
        Files.writeString(imitation.resolve("edge.conf"), "max_connections = 5\n");

        assertEquals(
                List.of(false, true, false),
                List.of(
                        ConfigMapWatcher.of(plain, () -> {}).isPresent(),
                        ConfigMapWatcher.of(volume.resolve("edge.conf"), () -> {})
                                .isPresent(),
                        ConfigMapWatcher.of(imitation.resolve("edge.conf"), () -> {})
                                .isPresent()));
    }
}
