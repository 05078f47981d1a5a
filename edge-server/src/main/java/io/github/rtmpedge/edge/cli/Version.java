package io.github.rtmpedge.edge.cli;

import java.util.Optional;

/** The version of the running build: the jar manifest's {@code Implementation-Version}, or "dev" outside the jar. */
public final class Version {

    private Version() {}

    /** {@code 0.1.0}, or {@code dev} when not run from the shaded jar. */
    public static String number() {
        return Optional.ofNullable(Version.class.getPackage().getImplementationVersion())
                .orElse("dev");
    }

    /** What {@code --version} prints: {@code rtmp-edge 0.1.0 (java 17.0.15, Linux amd64)}. */
    public static String line() {
        return "rtmp-edge " + number() + " (java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
    }
}
