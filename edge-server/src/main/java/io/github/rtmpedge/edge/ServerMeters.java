package io.github.rtmpedge.edge;

import io.github.rtmpedge.config.ConfigKey;
import io.github.rtmpedge.edge.flv.HttpFlvServer;
import io.github.rtmpedge.edge.lifecycle.ShutdownCoordinator;
import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.rtmp.RtmpServer;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.web.HttpListenerMeters;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * The server-wide meters read on every scrape: connections by client role, the connection limit,
 * streams, GOP cache, the drain phase, and the drain's duration once one has run.
 */
final class ServerMeters {

    private ServerMeters() {}

    /** {@code flv} is null when HTTP-FLV is off. Returns the drain duration's timer. */
    static Timer bind(
            EdgeMetrics metrics,
            RtmpServer rtmp,
            HttpFlvServer flv,
            StreamRegistry streams,
            ShutdownCoordinator coordinator) {
        for (Role role : List.of(Role.PUBLISHER, Role.PLAYER)) {
            metrics.gauge(
                    EdgeMeters.CONNECTIONS_ACTIVE,
                    () -> rtmp.countByRole(role),
                    EdgeMeters.Tags.ROLE,
                    EnumCounters.tagValue(role),
                    EdgeMeters.Tags.PROTOCOL,
                    EnumCounters.tagValue(Protocol.RTMP));
        }
        metrics.gauge(
                EdgeMeters.CONNECTIONS_ACTIVE,
                () -> flv == null ? 0 : flv.countByRole(Role.PLAYER),
                EdgeMeters.Tags.ROLE,
                EnumCounters.tagValue(Role.PLAYER),
                EdgeMeters.Tags.PROTOCOL,
                EnumCounters.tagValue(Protocol.HTTP_FLV));
        if (flv == null) {
            new HttpListenerMeters(metrics, "flv"); // its series exist, at 0, whether HTTP-FLV is on or not
        }
        metrics.functionCounter(EdgeMeters.CONNECTIONS_ACCEPTED, rtmp.tracker()::accepted);
        metrics.functionCounter(
                EdgeMeters.CONNECTIONS_REJECTED,
                rtmp.tracker()::rejected,
                EdgeMeters.Tags.REASON,
                ConfigKey.MAX_CONNECTIONS.path()); // the limit's key is the reason
        // beside the rejections: an alert can tell "at the limit" from "refusing"
        metrics.gauge(EdgeMeters.CONNECTIONS_LIMIT, rtmp.tracker()::maxConnections);
        metrics.gauge(EdgeMeters.STREAMS_ACTIVE, streams::size);
        metrics.gauge(EdgeMeters.GOP_CACHE_BYTES, streams::cachedBytes);
        metrics.drain(ShutdownCoordinator.Phase.class, coordinator::phase, coordinator::phaseMillis);
        return metrics.timer(EdgeMeters.DRAIN_DURATION);
    }
}
