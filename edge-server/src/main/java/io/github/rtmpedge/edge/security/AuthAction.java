package io.github.rtmpedge.edge.security;

import java.util.Locale;

/** What a client asks the security rules for. */
public enum AuthAction {
    CONNECT,
    PUBLISH,
    PLAY;

    /** As written in log lines and as the metric's tag: {@code publish}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
