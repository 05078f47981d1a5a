package io.github.rtmpedge.edge.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The native self-pipe signal library ({@code src/main/c/signals.c}): a {@code sigaction} handler
 * writes each signal's number to a pipe, which {@link #await()} reads.
 *
 * <p>The library travels in the jar once per platform, as {@code /native/linux-x86_64/} and
 * {@code /native/linux-aarch64/librtmpedge-signals.so}. {@link #load()} copies the one of the running
 * platform to a file in {@code java.io.tmpdir}, loads it and deletes the file at once (the mapping
 * stays valid), so the temporary directory must be writable and not mounted {@code noexec}. With
 * {@code -Drtmpedge.signals.library=PATH} a library installed elsewhere is loaded instead (for
 * read-only or {@code noexec} file systems): PATH is the library itself, or a directory holding
 * {@code linux-<arch>/librtmpedge-signals.so} (one image for both architectures);
 * {@code -Drtmpedge.signals.native=false} does not load it at all.
 */
final class NativeSignals {

    /** {@code -Drtmpedge.signals.native=false} disables the library. */
    static final String ENABLED_PROPERTY = "rtmpedge.signals.native";
    /** {@code -Drtmpedge.signals.library=PATH} loads the library from PATH instead of the classpath. */
    static final String LIBRARY_PROPERTY = "rtmpedge.signals.library";

    static final String FILE_NAME = "librtmpedge-signals.so";

    private static NativeSignals loaded;

    private NativeSignals() {}

    /** Why the library could not be used. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String reason) {
            super(reason);
        }
    }

    /** Loads the library once per JVM. */
    static synchronized NativeSignals load() throws UnavailableException {
        if (loaded != null) {
            return loaded;
        }
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            throw new UnavailableException("native library disabled by -D" + ENABLED_PROPERTY + "=false");
        }
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"))
                .orElseThrow(() -> new UnavailableException("no native library for " + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + " (only Linux on x86_64 and aarch64)"));
        String explicit = System.getProperty(LIBRARY_PROPERTY);
        try {
            if (explicit != null) {
                Path path = Path.of(explicit).toAbsolutePath();
                if (Files.isDirectory(path)) {
                    path = path.resolve(platform).resolve(FILE_NAME);
                }
                System.load(path.toString());
            } else {
                loadFromClasspath("/native/" + platform + "/" + FILE_NAME);
            }
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            throw new UnavailableException("cannot load the native library: " + e);
        }
        loaded = new NativeSignals();
        return loaded;
    }

    /**
     * The directory of the library built for this platform ({@code linux-x86_64}, {@code linux-aarch64}),
     * from the JVM's {@code os.name} and {@code os.arch}; empty where none is built.
     */
    static Optional<String> platform(String os, String arch) {
        if (!"Linux".equals(os)) {
            return Optional.empty();
        }
        return switch (arch == null ? "" : arch) {
            case "amd64", "x86_64" -> Optional.of("linux-x86_64");
            case "aarch64", "arm64" -> Optional.of("linux-aarch64");
            default -> Optional.empty();
        };
    }

    private static void loadFromClasspath(String resource) throws IOException {
        Path file;
        try (InputStream in = NativeSignals.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the classpath");
            }
            file = Files.createTempFile("librtmpedge-signals", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
        try {
            System.load(file.toString());
        } finally {
            // Once loaded the library stays mapped; the file is no longer needed, even on kill -9.
            Files.deleteIfExists(file);
        }
    }

    /** Takes the signal over with {@code sigaction}, remembering the action it replaces (even SIG_IGN). */
    void install(ProcessSignal signal) throws IOException {
        int errno = install0(signal.number());
        if (errno != 0) {
            throw new IOException("sigaction(SIG" + signal + ") failed with errno " + errno);
        }
    }

    /** Puts back the action {@link #install} replaced. */
    void restore(ProcessSignal signal) throws IOException {
        int errno = restore0(signal.number());
        if (errno != 0) {
            throw new IOException("sigaction(SIG" + signal + ") restore failed with errno " + errno);
        }
    }

    /** Blocks until a signal arrives and returns its number, or 0 after {@link #wake()}. */
    int await() throws IOException {
        int result = await0();
        if (result < 0) {
            throw new IOException("read from the signal pipe failed with errno " + -result);
        }
        return result;
    }

    /** Makes the thread blocked in {@link #await()} return 0. */
    void wake() throws IOException {
        int errno = wake0();
        if (errno != 0) {
            throw new IOException("write to the signal pipe failed with errno " + errno);
        }
    }

    private static native int install0(int signo);

    private static native int restore0(int signo);

    private static native int await0();

    private static native int wake0();
}
