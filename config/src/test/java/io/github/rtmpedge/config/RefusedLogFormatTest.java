package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused configuration still tells the log_format it asks for, when that key itself is valid: the
 * server reports the refusal in it (JSON from the first line).
 */
class RefusedLogFormatTest {

    @TempDir
    Path dir;

    private Optional<LogFormat> refusedWith(String hocon) {
        return assertThrows(InvalidConfigException.class, () -> ConfigFiles.load(dir, hocon))
                .logFormat();
    }

    @Test
    void theValidLogFormatOfAnInvalidFileIsKept() {
        assertEquals(
                List.of(Optional.of(LogFormat.JSON), Optional.of(LogFormat.TEXT), Optional.empty()),
                List.of(
                        refusedWith("log_format = json\nmax_connections = 0"),
                        refusedWith("max_connections = 0"),
                        refusedWith("log_format = yaml\nmax_connections = 0")));
    }
}
