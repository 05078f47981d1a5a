package io.github.rtmpedge.edge.security;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;

/** Clients refused by the security rules, by action and reason; shared by every session kind. */
public final class RefusalMeters {

    private final EnumCounters<?>[] byAction;

    public RefusalMeters(EdgeMetrics metrics) {
        byAction = new EnumCounters<?>[AuthAction.values().length];
        for (AuthAction action : AuthAction.values()) {
            byAction[action.ordinal()] = metrics.counters(
                    EdgeMeters.AUTH_REJECTIONS,
                    EdgeMeters.Tags.REASON,
                    AuthReason.class,
                    EdgeMeters.Tags.ACTION,
                    action.tag());
        }
    }

    public void refused(AuthAction action, AuthReason reason) {
        of(action).increment(reason);
    }

    /** How many clients were refused {@code action} for {@code reason} so far. */
    public double refusals(AuthAction action, AuthReason reason) {
        return of(action).count(reason);
    }

    @SuppressWarnings("unchecked") // filled with EnumCounters<AuthReason> only, above
    private EnumCounters<AuthReason> of(AuthAction action) {
        return (EnumCounters<AuthReason>) byAction[action.ordinal()];
    }
}
