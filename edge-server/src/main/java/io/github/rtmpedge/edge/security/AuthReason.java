package io.github.rtmpedge.edge.security;

import java.util.Locale;

/** Why the security rules refused a client. */
public enum AuthReason {
    /** The client's address is not in the allow list, or is in the deny list. */
    CIDR_DENIED,
    /** A token is required and the request has none. */
    MISSING,
    /** The token's expiry has passed (beyond the allowed clock skew). */
    EXPIRED,
    /** The token's signature matches no configured secret. */
    BAD_SIGNATURE,
    /** An HTTP hook answered with something other than an allow. */
    HOOK_DENIED,
    /** An HTTP hook failed (connection, status). */
    HOOK_ERROR,
    /** An HTTP hook took longer than security.hook_timeout. */
    HOOK_TIMEOUT;

    /** As written in log lines and close reasons, and as the metric's tag: {@code cidr_denied}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
