package io.github.rtmpedge.edge.security;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import java.util.EnumMap;

/** Clients refused by the security rules, by action and reason; shared by every session kind. */
public final class RefusalMeters {

    private final EnumMap<AuthAction, EnumCounters<AuthReason>> byAction = new EnumMap<>(AuthAction.class);

    public RefusalMeters(EdgeMetrics metrics) {
        for (AuthAction action : AuthAction.values()) {
            byAction.put(
                    action,
                    metrics.counters(
                            EdgeMeters.AUTH_REJECTIONS,
                            EdgeMeters.Tags.REASON,
                            AuthReason.class,
                            EdgeMeters.Tags.ACTION,
                            action.tag()));
        }
    }

    public void refused(AuthAction action, AuthReason reason) {
        byAction.get(action).increment(reason);
    }

    /** How many clients were refused {@code action} for {@code reason} so far. */
    public double refusals(AuthAction action, AuthReason reason) {
        return byAction.get(action).count(reason);
    }
}
