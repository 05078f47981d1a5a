package io.github.rtmpedge.edge.security;

/**
 * The outcome of a security check: allowed, or refused with a reason (the metric's tag) and a
 * detail for the log line. Neither ever holds a token.
 *
 * @param reason null when allowed
 * @param detail what exactly failed, for the log; null when allowed
 */
public record Verdict(AuthReason reason, String detail) {

    public static final Verdict ALLOW = new Verdict(null, null);

    public static Verdict refuse(AuthReason reason, String detail) {
        return new Verdict(java.util.Objects.requireNonNull(reason, "reason"), detail);
    }

    public boolean allowed() {
        return reason == null;
    }
}
