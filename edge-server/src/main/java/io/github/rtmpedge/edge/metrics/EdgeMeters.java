package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every meter the server registers, in one place (the shape of Micrometer's {@code NettyMeters}):
 * its dot name, its type, its base unit and its tag keys. Prometheus renders a dot name with
 * underscores and a counter with {@code _total} ({@code rtmp.received.bytes} becomes
 * {@code rtmp_received_bytes_total}); docs/metrics.md lists the rendered names.
 *
 * <p>No tag takes unbounded values: never a stream name or a client address (per-stream detail is
 * in the JSON API). {@code origin} is allowed because origins are a configured, bounded list.
 * No series carries common labels: Prometheus adds its own {@code instance}, and the version is one
 * series, {@code rtmp_edge_build_info} (see {@link EdgeMetrics#buildInfo}), so a rollout does not
 * replace every series. Besides these, the registry carries the JVM and process binders and Netty's
 * pooled allocator metrics. Timers render as Prometheus histograms in seconds, with the bucket
 * bounds declared here.
 */
@SuppressWarnings("ImmutableEnumChecker") // tagKeys are List.of(...): immutable
public enum EdgeMeters {
    CONNECTIONS_ACTIVE(
            "rtmp.connections.active",
            Meter.Type.GAUGE,
            null,
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "Open connections by role: publisher and player (clients; players over RTMP or HTTP-FLV), upstream_pull and"
                    + " upstream_push (ours to origins), and protocol (rtmp, http_flv)"),
    CONNECTIONS_ACCEPTED(
            "rtmp.connections.accepted", Meter.Type.COUNTER, null, List.of(), "Client connections accepted"),
    CONNECTIONS_REJECTED(
            "rtmp.connections.rejected",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.REASON),
            "Client connections refused, by reason (max_connections)"),
    CONNECTIONS_CLOSED(
            "rtmp.connections.closed",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.REASON, Tags.PROTOCOL),
            "Client connections closed, by reason (peer_closed, idle, protocol_error, io_error, internal_error, command_flood,"
                    + " connect_rejected, publish_rejected, play_rejected, publishing_too_fast, not_acknowledging, too_slow,"
                    + " stream_failed, drained, kicked)"),
    HANDSHAKE_FAILURES(
            "rtmp.handshake.failures",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.KIND),
            "Client handshakes that failed, by kind (timeout, peer_closed, invalid)"),
    RECEIVED_BYTES(
            "rtmp.received.bytes",
            Meter.Type.COUNTER,
            "bytes",
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "Bytes read from RTMP connections, by role (none: before publish or play)"),
    SENT_BYTES(
            "rtmp.sent.bytes",
            Meter.Type.COUNTER,
            "bytes",
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "Bytes written to RTMP connections, by role"),
    MESSAGES_RECEIVED(
            "rtmp.messages.received",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "RTMP messages received (client: every decoded message; upstream_pull: media and data from the origin)"),
    MESSAGES_SENT(
            "rtmp.messages.sent",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "Media and data messages sent to players and to origins (upstream_push)"),
    MESSAGES_DROPPED(
            "rtmp.messages.dropped",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.REASON, Tags.PROTOCOL),
            "Media messages dropped instead of sent, by reason (slow_player, slow_upstream_push)"),
    SLOW_DISCONNECTS(
            "rtmp.slow.disconnects",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.ROLE, Tags.PROTOCOL),
            "Connections closed because they made no progress for queue_length, by role"),
    DECODER_ERRORS(
            "rtmp.decoder.errors",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.KIND),
            "Client connections closed on malformed input, by kind (limit_exceeded, malformed)"),
    PROTOCOL_VIOLATIONS(
            "rtmp.protocol.violations",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.KIND),
            "Requests and messages refused or ignored after the handshake, by kind (command_flood, out_of_order, stream_busy,"
                    + " unknown_message, publish_ahead, ack_stalled)"),
    STREAMS_ACTIVE("rtmp.streams.active", Meter.Type.GAUGE, null, List.of(), "Live streams (with a source or players)"),
    GOP_CACHE_BYTES(
            "rtmp.gop.cache", Meter.Type.GAUGE, "bytes", List.of(), "Bytes held by the GOP caches of all streams"),
    UPSTREAM_CONNECT_ATTEMPTS(
            "rtmp.upstream.connect.attempts",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.DIRECTION, Tags.OUTCOME, Tags.ORIGIN),
            "Connections to origins by direction (pull, push), outcome (success: media flowing or publishing; failure) and origin"),
    UPSTREAM_RECONNECTS(
            "rtmp.upstream.reconnects",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.DIRECTION),
            "Upstreams that got going again after losing their origin, by direction"),
    UPSTREAM_FAILURES(
            "rtmp.upstream.failures",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.DIRECTION, Tags.REASON),
            "Upstream connections that failed or ended, by direction and reason (unreachable, stalled, stream_gone,"
                    + " timeout, connection_lost)"),
    UPSTREAM_RECOVERY(
            "rtmp.upstream.recovery",
            Meter.Type.TIMER,
            "seconds",
            List.of(Tags.DIRECTION),
            "Time from losing an origin to media flowing again (pull) or publishing again (push), by direction",
            Buckets.RECOVERY),
    UPSTREAM_ORIGINS_UNREACHABLE(
            "rtmp.upstream.origins.unreachable",
            Meter.Type.GAUGE,
            null,
            List.of(),
            "Origins that do not answer TCP connect and the RTMP handshake, each checked by one prober"),
    UPSTREAM_ORIGIN_STATE(
            "rtmp.upstream.origin.state",
            Meter.Type.GAUGE,
            null,
            List.of(Tags.ORIGIN),
            "Each origin address: 0 up, 1 unreachable (probed), 2 backing off after a failure"),
    UPSTREAM_STALLS(
            "rtmp.upstream.stalls",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.DIRECTION),
            "Upstreams given up because their origin went silent (pull: no media for stall_timeout) or stopped"
                    + " reading (push), by direction"),
    UPSTREAM_ASKS(
            "rtmp.upstream.asks",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.RESULT),
            "Origins a pull asked at once while looking for its stream, by how each ask ended: won (delivered"
                    + " first, kept), lost (closed because another delivered first), failed (ended on its own)"),
    AUTH_REJECTIONS(
            "rtmp.auth.rejections",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.ACTION, Tags.REASON),
            "Clients refused by the security rules, by action (connect, publish, play) and reason (cidr_denied, missing, "
                    + "expired, bad_signature, hook_denied, hook_error, hook_timeout)"),
    PROXY_PROTOCOL_REJECTED(
            "rtmp.proxy.protocol.rejected",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.REASON, Tags.PROTOCOL),
            "Client connections refused at their PROXY protocol header, by reason (missing, malformed, timeout: from a"
                    + " trusted load balancer; untrusted: a header from any other address) and protocol (rtmp, http_flv)"),
    HTTP_CONNECTIONS_ACTIVE(
            "http.connections.active",
            Meter.Type.GAUGE,
            null,
            List.of(Tags.LISTENER),
            "Open connections of the HTTP listeners (api: the HTTP API port; flv: HTTP-FLV)"),
    HTTP_CONNECTIONS_REJECTED(
            "http.connections.rejected",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.LISTENER, Tags.REASON),
            "Connections an HTTP listener refused at once, by reason (max_connections)"),
    HTTP_REQUESTS_REJECTED(
            "http.requests.rejected",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.LISTENER, Tags.REASON),
            "Requests answered with an error and their connection closed, by reason (uri_too_long: 414,"
                    + " header_too_large: 431, bad_request: 400, request_timeout: 408)"),
    HTTP_IDLE_CLOSED(
            "http.idle.closed",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.LISTENER),
            "Kept-alive HTTP connections closed after http_limits.keep_alive_timeout without a new request"),
    DRAIN_PHASE(
            "rtmp.drain.phase",
            Meter.Type.GAUGE,
            null,
            List.of(),
            "Graceful quit phase: 0 running, 1 drain_requested, 2 listeners_closed, 3 draining, 4 final_wait, 5 stopped"),
    DRAIN_PHASE_DURATION(
            "rtmp.drain.phase.duration",
            Meter.Type.GAUGE,
            "seconds",
            List.of(Tags.PHASE),
            "Time spent in each phase entered so far (the current one up to now); 0 for phases not entered"),
    DRAIN_DURATION(
            "rtmp.drain.duration",
            Meter.Type.TIMER,
            "seconds",
            List.of(),
            "Graceful quits: time from the start of draining until no client connection was left (recorded as"
                    + " final_wait begins)",
            Buckets.DRAIN),
    CONNECTIONS_LIMIT(
            "rtmp.connections.limit",
            Meter.Type.GAUGE,
            null,
            List.of(),
            "RTMP client connections max_connections allows (follows a reload); accepted beyond it are refused"),
    PLAYER_FIRST_KEYFRAME(
            "rtmp.player.first.keyframe",
            Meter.Type.TIMER,
            "seconds",
            List.of(Tags.PROTOCOL),
            "Players' time from the start of their play (authorised, subscribed) to their first video keyframe"
                    + " written, by protocol (rtmp, http_flv)",
            Buckets.FIRST_KEYFRAME),
    UPSTREAM_CONNECT_DURATION(
            "rtmp.upstream.connect.duration",
            Meter.Type.TIMER,
            "seconds",
            List.of(Tags.DIRECTION, Tags.STAGE),
            "Connections to origins, by direction (pull, push) and stage (connect: the TCP connect;"
                    + " handshake: the RTMP handshake after it)",
            Buckets.NETWORK),
    HOOK_DURATION(
            "rtmp.hook.duration",
            Meter.Type.TIMER,
            "seconds",
            List.of(Tags.ACTION, Tags.RESULT),
            "HTTP hook decisions (every URL of the action in turn), by action (connect, publish, play) and"
                    + " result (allowed, denied, error, timeout)",
            Buckets.HOOK),
    APP_CONNECTIONS_ACTIVE(
            "rtmp.app.connections.active",
            Meter.Type.GAUGE,
            null,
            List.of(Tags.APP, Tags.ROLE, Tags.PROTOCOL),
            "Players and publishers by app (the first http_api.metrics_app_label_max apps, the rest as other), role"
                    + " and protocol; only with http_api.metrics_app_label = on"),
    APP_RECEIVED_BYTES(
            "rtmp.app.received.bytes",
            Meter.Type.COUNTER,
            "bytes",
            List.of(Tags.APP, Tags.ROLE, Tags.PROTOCOL),
            "Bytes read from players and publishers by app, role and protocol; only with http_api.metrics_app_label = on"),
    APP_SENT_BYTES(
            "rtmp.app.sent.bytes",
            Meter.Type.COUNTER,
            "bytes",
            List.of(Tags.APP, Tags.ROLE, Tags.PROTOCOL),
            "Bytes written to players and publishers by app, role and protocol; only with http_api.metrics_app_label = on");

    /**
     * Histogram bucket bounds, chosen for each quantity: a keyframe comes within a GOP (at most a
     * few seconds, more behind a cold pull), an origin on the network within milliseconds, a hook
     * within its timeout, a drain within drain_timeout (minutes to an hour).
     */
    static final class Buckets {
        static final List<Duration> FIRST_KEYFRAME =
                seconds(0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 15, 20, 30);
        static final List<Duration> NETWORK =
                seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        static final List<Duration> HOOK = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10);
        /** An origin's loss to media again: a failover takes seconds, an origin's restart a minute or two. */
        static final List<Duration> RECOVERY = seconds(0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 30, 60, 120);

        static final List<Duration> DRAIN = seconds(1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200);

        private Buckets() {}

        private static List<Duration> seconds(double... bounds) {
            List<Duration> out = new ArrayList<>();
            for (double b : bounds) {
                out.add(Duration.ofNanos(Math.round(b * 1e9)));
            }
            return List.copyOf(out);
        }
    }

    /** The tag keys; their values are closed sets (enums), except origin (the configured list). */
    public static final class Tags {
        public static final String ROLE = "role";
        public static final String REASON = "reason";
        public static final String KIND = "kind";
        public static final String DIRECTION = "direction";
        public static final String OUTCOME = "outcome";
        public static final String ORIGIN = "origin";
        public static final String PHASE = "phase";
        public static final String ACTION = "action";
        public static final String PROTOCOL = "protocol";
        public static final String LISTENER = "listener";
        public static final String STAGE = "stage";
        public static final String RESULT = "result";
        /** Bounded by {@link AppLabels}: opt-in, and only on the rtmp.app.* meters. */
        public static final String APP = "app";

        private Tags() {}
    }

    private final String meterName;
    private final Meter.Type type;
    private final String baseUnit;
    private final List<String> tagKeys;
    private final String description;
    private final List<Duration> buckets;

    EdgeMeters(String meterName, Meter.Type type, String baseUnit, List<String> tagKeys, String description) {
        this(meterName, type, baseUnit, tagKeys, description, List.of());
    }

    EdgeMeters(
            String meterName,
            Meter.Type type,
            String baseUnit,
            List<String> tagKeys,
            String description,
            List<Duration> buckets) {
        this.buckets = buckets;
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.tagKeys = tagKeys;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public Meter.Type type() {
        return type;
    }

    /** Null for plain counts. */
    public String baseUnit() {
        return baseUnit;
    }

    public List<String> tagKeys() {
        return tagKeys;
    }

    public String description() {
        return description;
    }

    /** A timer's histogram bucket bounds (empty for other meters). */
    public List<Duration> buckets() {
        return buckets;
    }
}
