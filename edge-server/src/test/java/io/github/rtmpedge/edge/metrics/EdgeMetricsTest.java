package io.github.rtmpedge.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.proxy.ProxyProtocol;
import io.github.rtmpedge.edge.rtmp.DecoderError;
import io.github.rtmpedge.edge.rtmp.SessionMeters;
import io.github.rtmpedge.edge.security.HookMeters;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.stream.delivery.DeliveryMeters;
import io.github.rtmpedge.edge.upstream.UpstreamMeters;
import io.github.rtmpedge.edge.upstream.UpstreamMetersAccess;
import io.github.rtmpedge.edge.web.HttpListenerMeters;
import io.github.rtmpedge.rtmp.handshake.HandshakeException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EdgeMetricsTest {

    private enum Phase {
        RUNNING,
        DRAINING
    }

    private final EdgeMetrics metrics =
            EdgeMetrics.prometheus().buildInfo("9.9", "nio").labelApps(1);
    private final MeterRegistry registry = metrics.registry();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);

    /** The meters as the server makes them at start-up (EdgeServer, RtmpServer). */
    private final SessionMeters session = new SessionMeters(metrics);

    private final TrafficMeters traffic = session.traffic();
    private final UpstreamMeters upstream = new UpstreamMeters(metrics, traffic);

    /** The HTTP listeners' meters, as EdgeServer makes them. */
    private final List<HttpListenerMeters> http =
            List.of(new HttpListenerMeters(metrics, "api"), new HttpListenerMeters(metrics, "flv"));

    EdgeMetricsTest() {
        metrics.gauge(
                EdgeMeters.CONNECTIONS_ACTIVE,
                () -> 1,
                EdgeMeters.Tags.ROLE,
                "publisher",
                EdgeMeters.Tags.PROTOCOL,
                "rtmp");
        metrics.gauge(
                EdgeMeters.CONNECTIONS_ACTIVE,
                () -> 2,
                EdgeMeters.Tags.ROLE,
                "player",
                EdgeMeters.Tags.PROTOCOL,
                "rtmp");
        metrics.functionCounter(EdgeMeters.CONNECTIONS_ACCEPTED, () -> 5);
        metrics.functionCounter(EdgeMeters.CONNECTIONS_REJECTED, () -> 1, EdgeMeters.Tags.REASON, "max_connections");
        metrics.gauge(EdgeMeters.STREAMS_ACTIVE, () -> 3);
        metrics.gauge(EdgeMeters.GOP_CACHE_BYTES, () -> 4096);
        metrics.drain(Phase.class, phase::get, () -> Map.of("running", 1500L));
        metrics.gauge(EdgeMeters.CONNECTIONS_LIMIT, () -> 1000);
        metrics.timer(EdgeMeters.DRAIN_DURATION);
        new HookMeters(metrics);
        ProxyProtocol.rejections(metrics, "rtmp"); // as RtmpServer makes it
        traffic.apps().enter("live", Role.PLAYER);
        traffic.apps().enter("tv", Role.PUBLISHER); // past the bound: other
        UpstreamMetersAccess.attempt(upstream, Role.UPSTREAM_PULL, "127.0.0.1:1935", true);
        upstream.watchOrigin("127.0.0.1:1935", originState::get); // as EdgeSupervisor, per address
    }

    private final java.util.concurrent.atomic.AtomicInteger originState =
            new java.util.concurrent.atomic.AtomicInteger();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void connectionTotalsSurviveAGarbageCollection() {
        EdgeMetrics other = EdgeMetrics.unscraped();
        try {
            java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong(7);
            // a method reference is a new object that only the meter refers to
            other.functionCounter(
                    EdgeMeters.CONNECTIONS_REJECTED, rejected::get, EdgeMeters.Tags.REASON, "max_connections");
            System.gc();
            assertEquals(
                    7,
                    other.registry()
                            .get(EdgeMeters.CONNECTIONS_REJECTED.meterName())
                            .functionCounter()
                            .count());
        } finally {
            other.close();
        }
    }

    @Test
    void everyDocumentedMeterIsRegisteredWithItsTypeAndUnit() {
        for (EdgeMeters meter : EdgeMeters.values()) {
            List<Meter> found =
                    registry.find(meter.meterName()).meters().stream().toList();
            assertFalse(found.isEmpty(), meter.meterName());
            for (Meter m : found) {
                assertEquals(meter.type(), m.getId().getType(), meter.meterName());
                assertEquals(meter.baseUnit(), m.getId().getBaseUnit(), meter.meterName());
            }
        }
    }

    @Test
    void everyMeterCarriesExactlyItsDocumentedTagKeys() {
        for (EdgeMeters meter : EdgeMeters.values()) {
            Set<String> expected = new HashSet<>(meter.tagKeys());
            for (Meter m : registry.find(meter.meterName()).meters()) {
                Set<String> keys = m.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
                assertEquals(expected, keys, meter.meterName());
            }
        }
    }

    @Test
    void httpListenersStartWithNothingCounted() {
        for (HttpListenerMeters listener : http) {
            assertEquals(
                    List.of(0, 0.0, 0.0),
                    List.of(listener.active(), listener.rejectedConnections(), listener.idleClosed()),
                    listener.listener());
        }
    }

    @Test
    void noSeriesCarriesAnInstanceOrVersionLabelButTheBuildInfo() {
        metrics.bindJvmAndProcess().bindAllocator(io.netty.buffer.PooledByteBufAllocator.DEFAULT);
        String body = metrics.scrape(null).body();

        for (String line : body.split("\n")) {
            if (!line.startsWith("#") && !line.startsWith(EdgeMetrics.BUILD_INFO)) {
                assertFalse(line.contains("instance=") || line.contains("version="), line);
            }
        }
        assertTrue(
                body.contains("\n" + EdgeMetrics.BUILD_INFO + "{arch=\"" + System.getProperty("os.arch")
                        + "\",java_version=\"" + System.getProperty("java.version")
                        + "\",transport=\"nio\",version=\"9.9\"} 1"),
                body);
    }

    @Test
    void buildInfoIsAnInfoMetricInOpenMetrics() {
        String body = metrics.scrape("application/openmetrics-text").body();

        assertTrue(body.contains("# TYPE rtmp_edge_build info\n"), body);
    }

    @Test
    void noTagHasValuesOutsideItsClosedSet() {
        Map<String, Set<String>> allowed = Map.of(
                EdgeMeters.Tags.ROLE, Set.of("none", "publisher", "player", "upstream_pull", "upstream_push"),
                EdgeMeters.Tags.REASON,
                        Set.of(
                                "max_connections",
                                "slow_player",
                                "slow_upstream_push",
                                "cidr_denied",
                                "missing",
                                "expired",
                                "bad_signature",
                                "hook_denied",
                                "hook_error",
                                "hook_timeout",
                                // rtmp.connections.closed
                                "peer_closed",
                                "idle",
                                "protocol_error",
                                "io_error",
                                "internal_error",
                                "command_flood",
                                "connect_rejected",
                                "publish_rejected",
                                "play_rejected",
                                "publishing_too_fast",
                                "not_acknowledging",
                                "too_slow",
                                "stream_failed",
                                "drained",
                                "kicked",
                                // http.requests.rejected
                                "uri_too_long",
                                "header_too_large",
                                "bad_request",
                                "request_timeout",
                                // rtmp.proxy.protocol.rejected (and missing, above)
                                "malformed",
                                "timeout",
                                "untrusted",
                                // rtmp.upstream.failures (and timeout, above)
                                "unreachable",
                                "stalled",
                                "stream_gone",
                                "connection_lost"),
                EdgeMeters.Tags.PROTOCOL, Set.of("rtmp", "http_flv"),
                EdgeMeters.Tags.LISTENER, Set.of("api", "flv"),
                EdgeMeters.Tags.ACTION, Set.of("connect", "publish", "play"),
                EdgeMeters.Tags.KIND,
                        Set.of(
                                "timeout",
                                "peer_closed",
                                "invalid",
                                "limit_exceeded",
                                "malformed",
                                "command_flood",
                                "out_of_order",
                                "stream_busy",
                                "unknown_message",
                                "publish_ahead",
                                "ack_stalled"),
                EdgeMeters.Tags.DIRECTION, Set.of("pull", "push"),
                EdgeMeters.Tags.OUTCOME, Set.of("success", "failure"),
                EdgeMeters.Tags.ORIGIN, Set.of("127.0.0.1:1935"),
                EdgeMeters.Tags.PHASE, Set.of("running", "draining"));
        allowed = new java.util.HashMap<>(allowed);
        allowed.put(EdgeMeters.Tags.STAGE, Set.of("connect", "handshake"));
        // hook decisions; upstream asks
        allowed.put(EdgeMeters.Tags.RESULT, Set.of("allowed", "denied", "error", "timeout", "won", "lost", "failed"));
        allowed.put(EdgeMeters.Tags.APP, Set.of("live", "other"));
        for (EdgeMeters meter : EdgeMeters.values()) {
            for (Meter m : registry.find(meter.meterName()).meters()) {
                for (Tag tag : m.getId().getTags()) {
                    assertTrue(
                            allowed.getOrDefault(tag.getKey(), Set.of()).contains(tag.getValue()),
                            meter.meterName() + " " + tag);
                }
            }
        }
    }

    @Test
    void bytesAndMessagesCountUnderTheirRole() {
        traffic.bytesReceived().increment(Role.PUBLISHER, 1000);
        traffic.bytesReceived().increment(Role.PUBLISHER, 500);
        traffic.bytesSent().increment(Role.PLAYER, 700);
        traffic.messagesReceived().increment(Role.UPSTREAM_PULL);

        assertEquals(1500, counter(EdgeMeters.RECEIVED_BYTES, "role", "publisher"));
        assertEquals(0, counter(EdgeMeters.RECEIVED_BYTES, "role", "player"));
        assertEquals(700, counter(EdgeMeters.SENT_BYTES, "role", "player"));
        assertEquals(1, counter(EdgeMeters.MESSAGES_RECEIVED, "role", "upstream_pull"));
    }

    @Test
    void subscriberMetersMoveTheCountersOfItsRole() {
        DeliveryMeters player = traffic.delivery(Role.PLAYER);
        DeliveryMeters push = traffic.delivery(Role.UPSTREAM_PUSH);
        player.sent().increment();
        player.dropped().increment(3);
        player.tooSlow().increment();
        push.dropped().increment();

        assertEquals(1, counter(EdgeMeters.MESSAGES_SENT, "role", "player"));
        assertEquals(3, counter(EdgeMeters.MESSAGES_DROPPED, "reason", "slow_player"));
        assertEquals(1, counter(EdgeMeters.MESSAGES_DROPPED, "reason", "slow_upstream_push"));
        assertEquals(1, counter(EdgeMeters.SLOW_DISCONNECTS, "role", "player"));
    }

    @Test
    void failuresCountByKind() {
        session.handshakeFailures().increment(HandshakeException.Kind.TIMEOUT);
        session.decoderErrors().increment(DecoderError.LIMIT_EXCEEDED);
        session.decoderErrors().increment(DecoderError.LIMIT_EXCEEDED);

        assertEquals(1, counter(EdgeMeters.HANDSHAKE_FAILURES, "kind", "timeout"));
        assertEquals(0, counter(EdgeMeters.HANDSHAKE_FAILURES, "kind", "invalid"));
        assertEquals(2, counter(EdgeMeters.DECODER_ERRORS, "kind", "limit_exceeded"));
    }

    @Test
    void upstreamsCountAttemptsByOutcomeAndOriginAndTheirReconnects() {
        UpstreamMetersAccess.attempt(upstream, Role.UPSTREAM_PULL, "127.0.0.1:1935", false);
        UpstreamMetersAccess.attempt(upstream, Role.UPSTREAM_PULL, "127.0.0.1:1935", false);
        UpstreamMetersAccess.reconnected(upstream, Role.UPSTREAM_PUSH);

        assertEquals(
                2,
                registry.get(EdgeMeters.UPSTREAM_CONNECT_ATTEMPTS.meterName())
                        .tags("direction", "pull", "outcome", "failure", "origin", "127.0.0.1:1935")
                        .counter()
                        .count());
        assertEquals(1, counter(EdgeMeters.UPSTREAM_RECONNECTS, "direction", "push"));
        assertEquals(0, counter(EdgeMeters.UPSTREAM_RECONNECTS, "direction", "pull"));
    }

    @Test
    void eachOriginHasOneStateSeriesThatFollowsItsState() {
        upstream.watchOrigin("127.0.0.1:1935", () -> 99); // a second watch of an address changes nothing
        originState.set(UpstreamMeters.OriginState.UNREACHABLE.value());
        assertEquals(
                1,
                registry.find(EdgeMeters.UPSTREAM_ORIGIN_STATE.meterName())
                        .gauges()
                        .size());
        assertEquals(
                1.0,
                registry.get(EdgeMeters.UPSTREAM_ORIGIN_STATE.meterName())
                        .tag("origin", "127.0.0.1:1935")
                        .gauge()
                        .value());
        originState.set(UpstreamMeters.OriginState.BACKING_OFF.value());
        assertEquals(
                2.0,
                registry.get(EdgeMeters.UPSTREAM_ORIGIN_STATE.meterName())
                        .tag("origin", "127.0.0.1:1935")
                        .gauge()
                        .value());
    }

    @Test
    void activeGaugesFollowTheServerAndTheUpstreams() {
        UpstreamMetersAccess.up(upstream, Role.UPSTREAM_PULL);
        UpstreamMetersAccess.up(upstream, Role.UPSTREAM_PULL);
        UpstreamMetersAccess.down(upstream, Role.UPSTREAM_PULL);

        Map<Role, Double> active = new EnumMap<>(Role.class);
        for (Role role : List.of(Role.PUBLISHER, Role.PLAYER, Role.UPSTREAM_PULL, Role.UPSTREAM_PUSH)) {
            active.put(
                    role,
                    registry.get(EdgeMeters.CONNECTIONS_ACTIVE.meterName())
                            .tag("role", EnumCounters.tagValue(role))
                            .gauge()
                            .value());
        }
        assertEquals(
                Map.of(Role.PUBLISHER, 1.0, Role.PLAYER, 2.0, Role.UPSTREAM_PULL, 1.0, Role.UPSTREAM_PUSH, 0.0),
                active);
    }

    @Test
    void drainPhaseIsTheOrdinalAndDurationsAreSeconds() {
        phase.set(Phase.DRAINING);

        assertEquals(
                1.0, registry.get(EdgeMeters.DRAIN_PHASE.meterName()).gauge().value());
        assertEquals(
                1.5,
                registry.get(EdgeMeters.DRAIN_PHASE_DURATION.meterName())
                        .tag("phase", "running")
                        .gauge()
                        .value());
        assertEquals(
                0.0,
                registry.get(EdgeMeters.DRAIN_PHASE_DURATION.meterName())
                        .tag("phase", "draining")
                        .gauge()
                        .value());
    }

    @Test
    void scrapeRendersPrometheusNamesInTheTextFormat() {
        traffic.bytesReceived().increment(Role.PUBLISHER, 42);
        EdgeMetrics.Scrape scrape = metrics.scrape(null);

        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.contentType());
        assertTrue(
                scrape.body().contains("rtmp_received_bytes_total{protocol=\"rtmp\",role=\"publisher\"} 42.0"),
                scrape.body());
    }

    @Test
    void timersRenderAsHistogramsInSecondsWithTheBucketsOfTheirQuantity() {
        traffic.delivery(Role.PLAYER).firstKeyframe().record(java.time.Duration.ofMillis(700));
        String body = metrics.scrape(null).body();

        assertTrue(body.contains("# TYPE rtmp_player_first_keyframe_seconds histogram"), body);
        assertEquals(1, Scraped.value(body, "rtmp_player_first_keyframe_seconds_bucket{protocol=\"rtmp\",le=\"1.0\"}"));
        assertEquals(0, Scraped.value(body, "rtmp_player_first_keyframe_seconds_bucket{protocol=\"rtmp\",le=\"0.5\"}"));
        assertEquals(0.7, Scraped.value(body, "rtmp_player_first_keyframe_seconds_sum{protocol=\"rtmp\"}"), 1e-9);
        assertTrue(
                body.contains(
                        "rtmp_upstream_connect_duration_seconds_bucket{direction=\"push\",stage=\"handshake\",le=\"0.001\"} 0"),
                body);
        assertTrue(body.contains("rtmp_hook_duration_seconds_count{action=\"connect\",result=\"timeout\"} 0"), body);
        assertTrue(body.contains("rtmp_drain_duration_seconds_bucket{le=\"3600.0\"} 0"), body);
        assertEquals(0, DeliveryMeters.NONE.firstKeyframe().count());
    }

    @Test
    void scrapeAnswersOpenMetricsWhenAsked() {
        EdgeMetrics.Scrape scrape = metrics.scrape("application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

        assertEquals(EdgeMetrics.OPENMETRICS_FORMAT, scrape.contentType());
        assertTrue(scrape.body().endsWith("# EOF\n"), scrape.body());
    }

    @Test
    void binderMetersAreRenamedOrLeftOutWherePromtoolWouldWarn() {
        metrics.bindJvmAndProcess().bindAllocator(io.netty.buffer.PooledByteBufAllocator.DEFAULT);
        String body = metrics.scrape(null).body();

        assertTrue(body.contains("\nsystem_cpu_processors "), body);
        assertFalse(body.contains("system_cpu_count"), body);
        assertFalse(body.contains("process_cpu_time"), body);
        assertTrue(body.contains("# HELP netty_allocator_memory_used Memory"), body);
    }

    /** One sample's value from a scrape, by its exact name and labels. */
    private static final class Scraped {
        static double value(String body, String series) {
            for (String line : body.split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1));
                }
            }
            throw new AssertionError(series + " not in\n" + body);
        }
    }

    private double counter(EdgeMeters meter, String key, String value) {
        io.micrometer.core.instrument.Counter c =
                registry.get(meter.meterName()).tag(key, value).counter();
        assertNotNull(c);
        return c.count();
    }
}
