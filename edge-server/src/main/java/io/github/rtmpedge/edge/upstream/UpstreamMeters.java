package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.metrics.TrafficMeter;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.stream.delivery.DeliveryMeters;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What our connections to origins count: the ones up, attempts by origin and outcome, and
 * upstreams that came back. Made once per server, whatever its mode, so that the series exist
 * from the first scrape; thread-safe.
 */
public final class UpstreamMeters {

    /** The {@code direction} tag: which way a stream goes. */
    enum Direction {
        PULL,
        PUSH
    }

    /** How one connection attempt ended: media flowing (pull) or publishing (push), or not. */
    enum Outcome {
        SUCCESS,
        FAILURE
    }

    private final EdgeMetrics metrics;
    private final TrafficMeters traffic;
    private final EnumMap<Direction, AtomicInteger> up = new EnumMap<>(Direction.class);
    private final EnumCounters<Direction> reconnects;
    private final EnumCounters<Direction> stalls;
    private final AtomicInteger unreachableOrigins = new AtomicInteger();

    public UpstreamMeters(EdgeMetrics metrics, TrafficMeters traffic) {
        this.metrics = metrics;
        this.traffic = traffic;
        for (Direction direction : Direction.values()) {
            AtomicInteger active = new AtomicInteger();
            up.put(direction, active);
            metrics.gauge(
                    EdgeMeters.CONNECTIONS_ACTIVE,
                    active::get,
                    EdgeMeters.Tags.ROLE,
                    EnumCounters.tagValue(role(direction)),
                    EdgeMeters.Tags.PROTOCOL,
                    EnumCounters.tagValue(Protocol.RTMP));
        }
        reconnects = metrics.counters(EdgeMeters.UPSTREAM_RECONNECTS, EdgeMeters.Tags.DIRECTION, Direction.class);
        metrics.gauge(EdgeMeters.UPSTREAM_ORIGINS_UNREACHABLE, unreachableOrigins::get);
        stalls = metrics.counters(EdgeMeters.UPSTREAM_STALLS, EdgeMeters.Tags.DIRECTION, Direction.class);
    }

    private static Role role(Direction direction) {
        return direction == Direction.PUSH ? Role.UPSTREAM_PUSH : Role.UPSTREAM_PULL;
    }

    private static Direction direction(Role role) {
        return role == Role.UPSTREAM_PUSH ? Direction.PUSH : Direction.PULL;
    }

    /** An upstream connection is up (pull: attached to its stream; push: publishing). */
    void up(Role role) {
        up.get(direction(role)).incrementAndGet();
    }

    /** The upstream connection counted by {@link #up} is gone. */
    void down(Role role) {
        up.get(direction(role)).decrementAndGet();
    }

    void reconnected(Role role) {
        reconnects.increment(direction(role));
    }

    /** An upstream's origin went silent (pull) or stopped reading (push); it is given up. */
    void stalled(Role role) {
        stalls.increment(direction(role));
    }

    /** An origin stopped (true) or started again (false) answering TCP and the handshake. */
    void originUnreachable(boolean unreachable) {
        if (unreachable) {
            unreachableOrigins.incrementAndGet();
        } else {
            unreachableOrigins.decrementAndGet();
        }
    }

    /** One connection attempt to {@code origin} ({@code host:port} from the configured list) ended. */
    void attempt(Role role, String origin, Outcome outcome) {
        metrics.counter(
                        EdgeMeters.UPSTREAM_CONNECT_ATTEMPTS,
                        EdgeMeters.Tags.DIRECTION,
                        EnumCounters.tagValue(direction(role)),
                        EdgeMeters.Tags.OUTCOME,
                        EnumCounters.tagValue(outcome),
                        EdgeMeters.Tags.ORIGIN,
                        origin)
                .increment();
    }

    /** A media or data message pulled from an origin. */
    void messageReceived(Role role) {
        traffic.messagesReceived().increment(role);
    }

    /** The first handler of a connection of {@code role}: its bytes each way. */
    TrafficMeter trafficMeter(Role role) {
        return new TrafficMeter(
                traffic.bytesReceived().of(role), traffic.bytesSent().of(role));
    }

    DeliveryMeters delivery(Role role) {
        return traffic.delivery(role);
    }
}
