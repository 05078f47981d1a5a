package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * Every meter the server registers, in one place (the shape of Micrometer's {@code NettyMeters}):
 * its dot name, its type, its base unit and its tag keys. Prometheus renders a dot name with
 * underscores and a counter with {@code _total} ({@code rtmp.received.bytes} becomes
 * {@code rtmp_received_bytes_total}); docs/metrics.md lists the rendered names.
 *
 * <p>No tag takes unbounded values: never a stream name or a client address (per-stream detail is
 * in the JSON API). {@code origin} is allowed because origins are a configured, bounded list.
 * Besides these, the registry carries the common tags {@code instance} and {@code version}, the
 * JVM and process binders and Netty's pooled allocator metrics.
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
            "Time from losing an origin to media flowing again (pull) or publishing again (push), by direction"),
    UPSTREAM_ORIGINS_UNREACHABLE(
            "rtmp.upstream.origins.unreachable",
            Meter.Type.GAUGE,
            null,
            List.of(),
            "Origins that do not answer TCP connect and the RTMP handshake, each checked by one prober"),
    UPSTREAM_STALLS(
            "rtmp.upstream.stalls",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.DIRECTION),
            "Upstreams given up because their origin went silent (pull: no media for stall_timeout) or stopped"
                    + " reading (push), by direction"),
    AUTH_REJECTIONS(
            "rtmp.auth.rejections",
            Meter.Type.COUNTER,
            null,
            List.of(Tags.ACTION, Tags.REASON),
            "Clients refused by the security rules, by action (connect, publish, play) and reason (cidr_denied, missing, "
                    + "expired, bad_signature, hook_denied, hook_error, hook_timeout)"),
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
            "Time spent in each phase entered so far (the current one up to now); 0 for phases not entered");

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
        /** Common tags on every meter. */
        public static final String INSTANCE = "instance";

        public static final String VERSION = "version";

        private Tags() {}
    }

    private final String meterName;
    private final Meter.Type type;
    private final String baseUnit;
    private final List<String> tagKeys;
    private final String description;

    EdgeMeters(String meterName, Meter.Type type, String baseUnit, List<String> tagKeys, String description) {
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
}
