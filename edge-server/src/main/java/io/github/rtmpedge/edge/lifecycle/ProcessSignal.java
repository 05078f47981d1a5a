package io.github.rtmpedge.edge.lifecycle;

import java.util.Optional;

/**
 * The signals the edge reacts to (docs/architecture.md, "Graceful quit"), with their Linux numbers (signal(7);
 * these four are the same on every Linux architecture).
 */
public enum ProcessSignal {
    /** SIGQUIT: graceful quit. HotSpot keeps it for thread dumps, so only the native library delivers it. */
    QUIT(3),
    /** SIGTERM: graceful quit with {@code force_grace_quit}, else fast quit. */
    TERM(15),
    /** SIGINT: fast quit. */
    INT(2),
    /** SIGHUP: reload what can change live. */
    HUP(1);

    private final int number;

    ProcessSignal(int number) {
        this.number = number;
    }

    /** The signal number on Linux. */
    public int number() {
        return number;
    }

    /** The signal with this Linux number, if it is one of ours. */
    public static Optional<ProcessSignal> ofNumber(int number) {
        for (ProcessSignal signal : values()) {
            if (signal.number == number) {
                return Optional.of(signal);
            }
        }
        return Optional.empty();
    }
}
