package io.github.rtmpedge.edge.metrics;

import io.github.rtmpedge.config.ConfigKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the server counts, and the registry {@code /metrics} renders (meters: {@link EdgeMeters}).
 *
 * <p>Hot paths (bytes, messages, drops) increment a {@link Counter} resolved once per tag value and
 * kept in an array indexed by an enum ordinal: no map lookup and no tag array per message.
 * Thread-safe.
 */
public final class EdgeMetrics implements AutoCloseable {

    /** Prometheus text format 0.0.4. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0, when the scraper asks for it. */
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** The {@code role} tag: what a connection does. */
    public enum Role {
        /** A client connection before it publishes or plays (handshake, connect). */
        NONE,
        PUBLISHER,
        PLAYER,
        UPSTREAM_PULL,
        UPSTREAM_PUSH;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code reason} tag of {@code rtmp.messages.dropped}. */
    public enum DropReason {
        SLOW_PLAYER, SLOW_UPSTREAM_PUSH;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code kind} tag of {@code rtmp.handshake.failures}. */
    public enum HandshakeFailure {
        TIMEOUT, PEER_CLOSED, INVALID;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code kind} tag of {@code rtmp.decoder.errors}. */
    public enum DecoderError {
        LIMIT_EXCEEDED, MALFORMED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code kind} tag of {@code rtmp.protocol.violations}. */
    public enum Violation {
        /** More commands than limits.max_commands_per_second (and the burst) allow. */
        COMMAND_FLOOD,
        /** A command where the session does not allow it: before connect, a second connect. */
        OUT_OF_ORDER,
        /** A publish of a stream that already has a publisher. */
        STREAM_BUSY,
        /** A message type the server does not know (ignored). */
        UNKNOWN_MESSAGE,
        /** A publisher's media time ran ahead of the wall clock by more than limits.publish_lead_warn. */
        PUBLISH_AHEAD,
        /** A player left more than limits.ack_warn_windows acknowledgement windows unacknowledged. */
        ACK_STALLED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code outcome} tag of {@code rtmp.upstream.connect.attempts}. */
    public enum Outcome {
        SUCCESS, FAILURE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code action} tag of {@code rtmp.auth.rejections}: what the client was refused. */
    public enum AuthAction {
        CONNECT, PUBLISH, PLAY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code reason} tag of {@code rtmp.auth.rejections}. */
    public enum AuthReason {
        CIDR_DENIED, MISSING, EXPIRED, BAD_SIGNATURE, HOOK_DENIED, HOOK_ERROR, HOOK_TIMEOUT;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Counter[] received = new Counter[Role.values().length];
    private final Counter[] sent = new Counter[Role.values().length];
    private final Counter[] messagesIn = new Counter[Role.values().length];
    private final Counter[] messagesOut = new Counter[Role.values().length];
    private final Counter[] slowDisconnects = new Counter[Role.values().length];
    private final Counter[] dropped = new Counter[DropReason.values().length];
    private final Counter[] handshakeFailures = new Counter[HandshakeFailure.values().length];
    private final Counter[] decoderErrors = new Counter[DecoderError.values().length];
    private final Counter[] violations = new Counter[Violation.values().length];
    private final Counter[][] authRejections = new Counter[AuthAction.values().length][AuthReason.values().length];
    private final Map<Role, AtomicInteger> upstreamsActive = new EnumMap<>(Role.class);
    private final Map<Role, Counter> reconnects = new EnumMap<>(Role.class);
    private final List<AutoCloseable> binders = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The functions behind function counters: Micrometer holds them weakly, and a method reference
     * made at the call site is referenced from nowhere else, so a GC would turn the counter into NaN.
     */
    private final List<Object> functions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EdgeMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, String instance, String version) {
        this.registry = registry;
        this.prometheus = prometheus;
        registry.config().commonTags(EdgeMeters.Tags.INSTANCE, instance, EdgeMeters.Tags.VERSION, version)
                .meterFilter(BinderMeterFilter.INSTANCE);
        for (Role role : Role.values()) {
            int i = role.ordinal();
            received[i] = counter(EdgeMeters.RECEIVED_BYTES, EdgeMeters.Tags.ROLE, role.tag());
            sent[i] = counter(EdgeMeters.SENT_BYTES, EdgeMeters.Tags.ROLE, role.tag());
            messagesIn[i] = counter(EdgeMeters.MESSAGES_RECEIVED, EdgeMeters.Tags.ROLE, role.tag());
            messagesOut[i] = counter(EdgeMeters.MESSAGES_SENT, EdgeMeters.Tags.ROLE, role.tag());
            slowDisconnects[i] = counter(EdgeMeters.SLOW_DISCONNECTS, EdgeMeters.Tags.ROLE, role.tag());
        }
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = counter(EdgeMeters.MESSAGES_DROPPED, EdgeMeters.Tags.REASON, reason.tag());
        }
        for (HandshakeFailure kind : HandshakeFailure.values()) {
            handshakeFailures[kind.ordinal()] = counter(EdgeMeters.HANDSHAKE_FAILURES, EdgeMeters.Tags.KIND, kind.tag());
        }
        for (DecoderError kind : DecoderError.values()) {
            decoderErrors[kind.ordinal()] = counter(EdgeMeters.DECODER_ERRORS, EdgeMeters.Tags.KIND, kind.tag());
        }
        for (Violation kind : Violation.values()) {
            violations[kind.ordinal()] = counter(EdgeMeters.PROTOCOL_VIOLATIONS, EdgeMeters.Tags.KIND, kind.tag());
        }
        for (AuthAction action : AuthAction.values()) {
            for (AuthReason reason : AuthReason.values()) {
                authRejections[action.ordinal()][reason.ordinal()] = counter(EdgeMeters.AUTH_REJECTIONS,
                        EdgeMeters.Tags.ACTION, action.tag(), EdgeMeters.Tags.REASON, reason.tag());
            }
        }
        for (Role role : List.of(Role.UPSTREAM_PULL, Role.UPSTREAM_PUSH)) {
            AtomicInteger active = new AtomicInteger();
            upstreamsActive.put(role, active);
            gauge(EdgeMeters.CONNECTIONS_ACTIVE, active::get, EdgeMeters.Tags.ROLE, role.tag());
            reconnects.put(role, counter(EdgeMeters.UPSTREAM_RECONNECTS, EdgeMeters.Tags.DIRECTION, direction(role)));
        }
    }

    /** Backed by a Prometheus registry; {@code instance} null or blank means this host's name. */
    public static EdgeMetrics prometheus(String instance, String version) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new EdgeMetrics(registry, registry, instance == null || instance.isBlank() ? hostName() : instance, version);
    }

    /** Counts into a simple in-memory registry that nobody scrapes (unit tests of single handlers). */
    public static EdgeMetrics unscraped() {
        return new EdgeMetrics(new SimpleMeterRegistry(), null, "test", "test");
    }

    public MeterRegistry registry() {
        return registry;
    }

    // ---- binders and gauges wired by the server --------------------------------------------------

    /** JVM and process meters: class loading, memory, GC, threads, CPU, file descriptors, uptime. */
    public EdgeMetrics bindJvmAndProcess() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** Netty's pooled allocator: used and pinned memory, arenas, caches. */
    public EdgeMetrics bindAllocator(PooledByteBufAllocator allocator) {
        new NettyAllocatorMetrics(allocator).bindTo(registry);
        return this;
    }

    /** {@code rtmp.connections.active} of a client role, counted by the server on every scrape. */
    public void clientConnections(Role role, IntSupplier count) {
        gauge(EdgeMeters.CONNECTIONS_ACTIVE, count::getAsInt, EdgeMeters.Tags.ROLE, role.tag());
    }

    /** Accepted and (max_connections) rejected client connections, as the tracker counts them. */
    public void connectionTotals(LongSupplier accepted, LongSupplier rejectedAtMaximum) {
        functions.add(accepted);
        functions.add(rejectedAtMaximum);
        FunctionCounter.builder(EdgeMeters.CONNECTIONS_ACCEPTED.meterName(), accepted, LongSupplier::getAsLong)
                .description(EdgeMeters.CONNECTIONS_ACCEPTED.description()).register(registry);
        FunctionCounter.builder(EdgeMeters.CONNECTIONS_REJECTED.meterName(), rejectedAtMaximum, LongSupplier::getAsLong)
                .description(EdgeMeters.CONNECTIONS_REJECTED.description())
                .tag(EdgeMeters.Tags.REASON, ConfigKey.MAX_CONNECTIONS.path()).register(registry); // the limit's key
    }

    public void streams(IntSupplier active, LongSupplier gopCacheBytes) {
        gauge(EdgeMeters.STREAMS_ACTIVE, active::getAsInt);
        gauge(EdgeMeters.GOP_CACHE_BYTES, gopCacheBytes::getAsLong);
    }

    /**
     * The drain phase as its ordinal, and the time spent in every phase ({@code phaseMillis} maps a
     * phase label to milliseconds, as ShutdownCoordinator reports it).
     */
    public <P extends Enum<P>> void drain(Class<P> phases, Supplier<P> current, Supplier<Map<String, Long>> phaseMillis) {
        gauge(EdgeMeters.DRAIN_PHASE, () -> current.get().ordinal());
        for (P phase : phases.getEnumConstants()) {
            String label = phase.name().toLowerCase(Locale.ROOT);
            gauge(EdgeMeters.DRAIN_PHASE_DURATION, () -> phaseMillis.get().getOrDefault(label, 0L) / 1000.0,
                    EdgeMeters.Tags.PHASE, label);
        }
    }

    // ---- counting ---------------------------------------------------------------------------------

    public void bytesReceived(Role role, long bytes) {
        received[role.ordinal()].increment(bytes);
    }

    public void bytesSent(Role role, long bytes) {
        sent[role.ordinal()].increment(bytes);
    }

    public void messageReceived(Role role) {
        messagesIn[role.ordinal()].increment();
    }

    /** The counters a subscriber (player or upstream push) moves as it sends, drops and gives up. */
    public SubscriberMeters subscriber(Role role) {
        DropReason reason = role == Role.UPSTREAM_PUSH ? DropReason.SLOW_UPSTREAM_PUSH : DropReason.SLOW_PLAYER;
        return new SubscriberMeters(messagesOut[role.ordinal()], dropped[reason.ordinal()],
                slowDisconnects[role.ordinal()]);
    }

    public void handshakeFailed(HandshakeFailure kind) {
        handshakeFailures[kind.ordinal()].increment();
    }

    public void decoderError(DecoderError kind) {
        decoderErrors[kind.ordinal()].increment();
    }

    public void violation(Violation kind) {
        violations[kind.ordinal()].increment();
    }

    /** A client was refused {@code action} by the security rules. */
    public void authRejected(AuthAction action, AuthReason reason) {
        authRejections[action.ordinal()][reason.ordinal()].increment();
    }

    /** How many clients were refused {@code action} for {@code reason} so far. */
    public double authRejections(AuthAction action, AuthReason reason) {
        return authRejections[action.ordinal()][reason.ordinal()].count();
    }

    /** An upstream connection is up (pull: attached to its stream; push: publishing). */
    public void upstreamUp(Role role) {
        upstreamsActive.get(role).incrementAndGet();
    }

    /** The upstream connection counted by {@link #upstreamUp} is gone. */
    public void upstreamDown(Role role) {
        upstreamsActive.get(role).decrementAndGet();
    }

    /** One connection attempt to {@code origin} ({@code host:port} from the configured list) ended. */
    public void upstreamAttempt(Role role, String origin, Outcome outcome) {
        counter(EdgeMeters.UPSTREAM_CONNECT_ATTEMPTS, EdgeMeters.Tags.DIRECTION, direction(role),
                EdgeMeters.Tags.OUTCOME, outcome.tag(), EdgeMeters.Tags.ORIGIN, origin).increment();
    }

    public void upstreamReconnected(Role role) {
        reconnects.get(role).increment();
    }

    // ---- scraping ---------------------------------------------------------------------------------

    /** The exposition, in OpenMetrics when {@code accept} asks for it, else the Prometheus text format. */
    public Scrape scrape(String accept) {
        Objects.requireNonNull(prometheus, "this registry is not scraped");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
        return new Scrape(type, prometheus.scrape(type));
    }

    /** What {@code /metrics} answers. */
    public record Scrape(String contentType, String body) {
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // closing a binder only unregisters listeners; nothing to recover
            }
        }
        registry.close();
    }

    private static String direction(Role role) {
        return role == Role.UPSTREAM_PUSH ? "push" : "pull";
    }

    private Counter counter(EdgeMeters meter, String... tags) {
        return Counter.builder(meter.meterName()).description(meter.description()).baseUnit(meter.baseUnit())
                .tags(tags).register(registry);
    }

    private void gauge(EdgeMeters meter, Supplier<Number> value, String... tags) {
        Gauge.builder(meter.meterName(), value).description(meter.description()).baseUnit(meter.baseUnit())
                .tags(io.micrometer.core.instrument.Tags.of(tags)).strongReference(true).register(registry);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
