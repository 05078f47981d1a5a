package io.github.rtmpedge.config;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;

/** Loads HOCON text through a real file, with no environment overrides and no system properties. */
final class ConfigFiles {

    private ConfigFiles() {}

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

    /** The problems loading {@code hocon} reports, each as {@code path = value: expected ...}; fails if it loads. */
    static List<String> problems(Path directory, String hocon) {
        InvalidConfigException e = Assertions.assertThrows(InvalidConfigException.class, () -> load(directory, hocon));
        return e.problems().stream()
                .map(InvalidConfigException.Problem::toString)
                .toList();
    }
}
