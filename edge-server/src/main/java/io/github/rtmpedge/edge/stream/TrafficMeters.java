package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.stream.delivery.DeliveryMeters;
import io.github.rtmpedge.edge.stream.delivery.DropReason;
import io.micrometer.core.instrument.Timer;

/**
 * What connections of one {@link Protocol} move, by {@link Role}: bytes and messages in and out,
 * frames dropped for slow peers, the disconnects of peers that made no progress, and players' time
 * to their first keyframe. Registered
 * once at start-up, so every series exists from the first scrape; thread-safe.
 */
public final class TrafficMeters {

    private final EnumCounters<Role> bytesReceived;
    private final EnumCounters<Role> bytesSent;
    private final EnumCounters<Role> messagesReceived;
    private final EnumCounters<Role> messagesSent;
    private final EnumCounters<Role> slowDisconnects;
    private final EnumCounters<DropReason> dropped;
    private final Timer playerFirstKeyframe;
    private final AppMeters apps;

    /** RTMP's. */
    public TrafficMeters(EdgeMetrics metrics) {
        this(metrics, Protocol.RTMP);
    }

    public TrafficMeters(EdgeMetrics metrics, Protocol protocol) {
        String role = EdgeMeters.Tags.ROLE;
        String[] tags = {EdgeMeters.Tags.PROTOCOL, EnumCounters.tagValue(protocol)};
        bytesReceived = metrics.counters(EdgeMeters.RECEIVED_BYTES, role, Role.class, tags);
        bytesSent = metrics.counters(EdgeMeters.SENT_BYTES, role, Role.class, tags);
        messagesReceived = metrics.counters(EdgeMeters.MESSAGES_RECEIVED, role, Role.class, tags);
        messagesSent = metrics.counters(EdgeMeters.MESSAGES_SENT, role, Role.class, tags);
        slowDisconnects = metrics.counters(EdgeMeters.SLOW_DISCONNECTS, role, Role.class, tags);
        dropped = metrics.counters(EdgeMeters.MESSAGES_DROPPED, EdgeMeters.Tags.REASON, DropReason.class, tags);
        playerFirstKeyframe = metrics.timer(EdgeMeters.PLAYER_FIRST_KEYFRAME, tags);
        apps = new AppMeters(metrics, protocol);
    }

    public EnumCounters<Role> bytesReceived() {
        return bytesReceived;
    }

    public EnumCounters<Role> bytesSent() {
        return bytesSent;
    }

    /** Players and publishers by app (when http_api.metrics_app_label is on). */
    public AppMeters apps() {
        return apps;
    }

    public EnumCounters<Role> messagesReceived() {
        return messagesReceived;
    }

    /** The counters a subscriber of {@code role} (a player, an upstream push) moves as it sends, drops and gives up. */
    public DeliveryMeters delivery(Role role) {
        DropReason reason = role == Role.UPSTREAM_PUSH ? DropReason.SLOW_UPSTREAM_PUSH : DropReason.SLOW_PLAYER;
        return new DeliveryMeters(
                messagesSent.of(role),
                dropped.of(reason),
                slowDisconnects.of(role),
                role == Role.PLAYER ? playerFirstKeyframe : DeliveryMeters.NO_TIMER);
    }
}
