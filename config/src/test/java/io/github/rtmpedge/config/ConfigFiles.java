package io.github.rtmpedge.config;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Loads HOCON text through a real file, with no environment overrides and no system properties. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Path write(Path directory, String hocon) {
        try {
            return Files.writeString(Files.createTempFile(directory, "edge", ".conf"), hocon);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EdgeConfig load(Path directory, String hocon) {
        return EdgeConfigLoader.load(Optional.of(write(directory, hocon)), ConfigFactory.empty(), new Properties());
    }
}
