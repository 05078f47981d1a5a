package io.github.rtmpedge.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the programs the fixtures drive. A missing program is a broken test machine, not a reason
 * to skip: the failure names the Debian package that provides it ({@code ./test.sh} installs them).
 */
public final class Binaries {

    private Binaries() {}

    /**
     * Returns the executable named {@code program} from {@code PATH} (plus {@code /usr/sbin} and
     * {@code /sbin}, where Debian puts nginx and which a non-root {@code PATH} may lack).
     *
     * @throws IllegalStateException naming {@code debianPackage} when it is not installed
     */
    public static Path require(String program, String debianPackage) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "'" + program + "' is not on PATH (" + path + "): install the Debian package '" + debianPackage
                        + "' (apt-get install --no-install-recommends " + debianPackage + "); ./test.sh installs it");
    }
}
