package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.metrics.TrafficMeter;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.stream.delivery.DeliveryMeters;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What our connections to origins count: the ones up, attempts by origin and outcome, upstreams
 * that came back, and how long connecting and the handshake took. Made once per server, whatever its mode, so that the series exist
 * from the first scrape; thread-safe.
 */
public final class UpstreamMeters {

    /** The {@code direction} tag: which way a stream goes. */
    enum Direction {
        PULL,
        PUSH
    }

    /** The {@code stage} tag of the set-up histogram: the TCP connect, then the RTMP handshake. */
    enum Stage {
        CONNECT,
        HANDSHAKE
    }

    /** Why an upstream connection failed or ended: the {@code reason} tag. */
    enum Failure {
        /** No TCP connection or no RTMP handshake. */
        UNREACHABLE,
        /** No media (pull) or no answer to pings (push) for stall_timeout. */
        STALLED,
        /** The origin said the stream is not there or ended (NotFound, UnpublishNotify, Play.Stop, StreamEOF...). */
        STREAM_GONE,
        /** An answer did not come in time. */
        TIMEOUT,
        /** The connection closed or broke otherwise. */
        CONNECTION_LOST;

        /** The tag of a failure, from who noticed it (the reasons are ours, see their makers). */
        static Failure of(String reason, boolean handshook) {
            if (!handshook) {
                return UNREACHABLE;
            } else if (reason.startsWith("stalled")) {
                return STALLED;
            } else if (reason.startsWith("origin says") || reason.startsWith("origin sent StreamEOF")) {
                return STREAM_GONE;
            } else if (reason.startsWith("no ")) { // "no <answer> within N ms"
                return TIMEOUT;
            }
            return CONNECTION_LOST;
        }
    }

    /** How one ask of a pull that asked several origins at once ended: the {@code result} tag. */
    enum AskResult {
        /** Delivered audio or video first: kept. */
        WON,
        /** Closed because another origin delivered first. */
        LOST,
        /** Failed or ended on its own (also counted among the failures by reason). */
        FAILED
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
    private final EnumCounters<AskResult> asks;
    private final EnumMap<Direction, EnumMap<Stage, Timer>> setUp = new EnumMap<>(Direction.class);
    private final AtomicInteger unreachableOrigins = new AtomicInteger();
    private final EnumMap<Direction, EnumCounters<Failure>> failures = new EnumMap<>(Direction.class);
    private final EnumMap<Direction, Timer> recovery = new EnumMap<>(Direction.class);
    private final Set<String> watchedOrigins = ConcurrentHashMap.newKeySet();

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
        stalls = metrics.counters(EdgeMeters.UPSTREAM_STALLS, EdgeMeters.Tags.DIRECTION, Direction.class);
        asks = metrics.counters(EdgeMeters.UPSTREAM_ASKS, EdgeMeters.Tags.RESULT, AskResult.class);
        for (Direction direction : Direction.values()) {
            EnumMap<Stage, Timer> stages = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                stages.put(
                        stage,
                        metrics.timer(
                                EdgeMeters.UPSTREAM_CONNECT_DURATION,
                                EdgeMeters.Tags.DIRECTION,
                                EnumCounters.tagValue(direction),
                                EdgeMeters.Tags.STAGE,
                                EnumCounters.tagValue(stage)));
            }
            setUp.put(direction, stages);
        }
        metrics.gauge(EdgeMeters.UPSTREAM_ORIGINS_UNREACHABLE, unreachableOrigins::get);
        for (Direction direction : Direction.values()) {
            String tag = EnumCounters.tagValue(direction);
            failures.put(
                    direction,
                    metrics.counters(
                            EdgeMeters.UPSTREAM_FAILURES,
                            EdgeMeters.Tags.REASON,
                            Failure.class,
                            EdgeMeters.Tags.DIRECTION,
                            tag));
            recovery.put(direction, metrics.timer(EdgeMeters.UPSTREAM_RECOVERY, EdgeMeters.Tags.DIRECTION, tag));
        }
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

    /** One of the origins a pull asked at once ended its ask. */
    void ask(AskResult result) {
        asks.increment(result);
    }

    void failed(Role role, Failure reason) {
        failures.get(direction(role)).increment(reason);
    }

    /** An upstream that had lost its origin works again, {@code after} the loss. */
    void recovered(Role role, Duration after) {
        recovery.get(direction(role)).record(after);
    }

    /** An origin stopped (true) or started again (false) answering TCP and the handshake. */
    void originUnreachable(boolean unreachable) {
        if (unreachable) {
            unreachableOrigins.incrementAndGet();
        } else {
            unreachableOrigins.decrementAndGet();
        }
    }

    /**
     * Shows {@code origin}'s state ({@link OriginState}) from now on; once per address (the
     * configured ones at start-up, the addresses of a name as they are resolved).
     */
    public void watchOrigin(String origin, IntSupplier state) {
        if (watchedOrigins.add(origin)) {
            metrics.gauge(EdgeMeters.UPSTREAM_ORIGIN_STATE, state::getAsInt, EdgeMeters.Tags.ORIGIN, origin);
        }
    }

    /** The values of {@code rtmp_upstream_origin_state}. */
    public enum OriginState {
        UP(0),
        UNREACHABLE(1),
        BACKING_OFF(2);

        private final int value;

        OriginState(int value) {
            this.value = value;
        }

        public int value() {
            return value;
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

    /** Times the set-up of one connection of {@code role} (a new handler per connection). */
    UpstreamTimings timings(Role role) {
        EnumMap<Stage, Timer> stages = setUp.get(direction(role));
        return new UpstreamTimings(stages.get(Stage.CONNECT), stages.get(Stage.HANDSHAKE));
    }

    DeliveryMeters delivery(Role role) {
        return traffic.delivery(role);
    }
}
