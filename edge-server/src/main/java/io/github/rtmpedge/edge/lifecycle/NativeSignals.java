package io.github.rtmpedge.edge.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The native self-pipe signal library ({@code src/main/c/signals.c}): a {@code sigaction} handler
 * writes each signal's number to a pipe, which {@link #await()} reads.
 *
 * <p>The library travels in the jar as {@value #RESOURCE}. {@link #load()} copies it to a file in
 * {@code java.io.tmpdir}, loads it and deletes the file at once (the mapping stays valid), so the
 * temporary directory must be writable and not mounted {@code noexec}. With
 * {@code -Drtmpedge.signals.library=/path/librtmpedge-signals.so} a library installed elsewhere is
 * loaded instead (for read-only or {@code noexec} file systems); {@code -Drtmpedge.signals.native=false}
 * does not load it at all.
 */
final class NativeSignals {

    /** {@code -Drtmpedge.signals.native=false} disables the library. */
    static final String ENABLED_PROPERTY = "rtmpedge.signals.native";
    /** {@code -Drtmpedge.signals.library=PATH} loads the library from PATH instead of the classpath. */
    static final String LIBRARY_PROPERTY = "rtmpedge.signals.library";

    static final String RESOURCE = "/native/linux-x86_64/librtmpedge-signals.so";

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
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!"Linux".equals(os) || !("amd64".equals(arch) || "x86_64".equals(arch))) {
            throw new UnavailableException("no native library for " + os + "/" + arch + " (only Linux/x86_64)");
        }
        String explicit = System.getProperty(LIBRARY_PROPERTY);
        try {
            if (explicit != null) {
                System.load(Path.of(explicit).toAbsolutePath().toString());
            } else {
                loadFromClasspath();
            }
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            throw new UnavailableException("cannot load the native library: " + e);
        }
        loaded = new NativeSignals();
        return loaded;
    }

    private static void loadFromClasspath() throws IOException {
        Path file;
        try (InputStream in = NativeSignals.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the classpath");
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
