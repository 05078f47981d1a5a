package io.github.rtmpedge.edge.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What must never appear in the server's log, whatever a client sends: an ERROR line, the session's
 * "unexpected error" (an exception that was not a protocol rejection), a task that threw on an event
 * loop, or an exception that reached the end of a pipeline. A deliberate rejection is logged at INFO
 * or WARN with its reason and does not match.
 */
final class SessionInvariants implements AutoCloseable {

    private static final Pattern ESCAPED =
            Pattern.compile("^ERROR |unexpected error|raised an exception|reached at the tail of the pipeline");

    private final LogCapture logs = new LogCapture();

    /** The lines that break the invariant. */
    List<String> violations() {
        return logs.matching(ESCAPED);
    }

    void assertClean() {
        List<String> found = violations();
        if (!found.isEmpty()) {
            throw new AssertionError("exception(s) escaped a handler or task:\n" + String.join("\n", found));
        }
    }

    LogCapture logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
    }
}
