package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.metrics.AppLabels;
import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.micrometer.core.instrument.Counter;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Players and publishers of one {@link Protocol} and their bytes by app, when
 * {@code http_api.metrics_app_label} is on ({@link EdgeMetrics#labelApps}); otherwise nothing. A
 * separate family beside the unlabelled series, because Prometheus (and Micrometer) want every
 * series of one name to carry the same labels. The series of an app label are registered when the
 * first client of that app arrives (at most {@code metrics_app_label_max} + 1 label values).
 * Thread-safe: sessions enter and leave from their own loops; the gauges are atomics.
 */
public final class AppMeters {

    private static final List<Role> ROLES = List.of(Role.PUBLISHER, Role.PLAYER);

    private final EdgeMetrics metrics;
    private final AppLabels labels;
    private final String protocol;
    private final ConcurrentHashMap<String, EnumMap<Role, Entry>> apps = new ConcurrentHashMap<>();

    AppMeters(EdgeMetrics metrics, Protocol protocol) {
        this.metrics = metrics;
        this.labels = metrics.appLabels();
        this.protocol = EnumCounters.tagValue(protocol);
    }

    /** Whether apps are counted at all. */
    public boolean enabled() {
        return labels != null;
    }

    /**
     * A session of {@code app} now plays or publishes ({@code role}): counted until {@link Entry#leave}.
     * Null when apps are not counted, or for any other role.
     */
    public Entry enter(String app, Role role) {
        if (labels == null || !ROLES.contains(role)) {
            return null;
        }
        Entry entry = apps.computeIfAbsent(labels.of(app), this::register).get(role);
        entry.active.incrementAndGet();
        return entry;
    }

    private EnumMap<Role, Entry> register(String app) {
        EnumMap<Role, Entry> byRole = new EnumMap<>(Role.class);
        for (Role role : ROLES) {
            String[] tags = {
                EdgeMeters.Tags.APP, app,
                EdgeMeters.Tags.ROLE, EnumCounters.tagValue(role),
                EdgeMeters.Tags.PROTOCOL, protocol
            };
            AtomicInteger active = new AtomicInteger();
            metrics.gauge(EdgeMeters.APP_CONNECTIONS_ACTIVE, active::get, tags);
            byRole.put(
                    role,
                    new Entry(
                            active,
                            metrics.counter(EdgeMeters.APP_RECEIVED_BYTES, tags),
                            metrics.counter(EdgeMeters.APP_SENT_BYTES, tags)));
        }
        return byRole;
    }

    /** The meters of one app label and role: a session counts its bytes here while it is in it. */
    public static final class Entry {
        private final AtomicInteger active;
        private final Counter received;
        private final Counter sent;

        Entry(AtomicInteger active, Counter received, Counter sent) {
            this.active = active;
            this.received = received;
            this.sent = sent;
        }

        public void received(long bytes) {
            received.increment((double) bytes);
        }

        public void sent(long bytes) {
            sent.increment((double) bytes);
        }

        /** The session no longer plays or publishes. */
        public void leave() {
            active.decrementAndGet();
        }
    }
}
