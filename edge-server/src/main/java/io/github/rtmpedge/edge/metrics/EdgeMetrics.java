package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The registry {@code /metrics} renders, and how meters are made from {@link EdgeMeters}: every
 * meter this server registers is declared there (name, type, unit, tag keys). Domain code brings
 * its own enums as tag values ({@link #counters}) and keeps the counters it gets; nothing here
 * knows sessions, streams or upstreams. Thread-safe.
 */
public final class EdgeMetrics implements AutoCloseable {

    /** Prometheus text format 0.0.4. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0, when the scraper asks for it. */
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final List<AutoCloseable> binders = new CopyOnWriteArrayList<>();
    /**
     * The functions behind function counters: Micrometer holds them weakly, and a method reference
     * made at the call site is referenced from nowhere else, so a GC would turn the counter into NaN.
     */
    private final List<Object> functions = new CopyOnWriteArrayList<>();

    private EdgeMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, String instance, String version) {
        this.registry = registry;
        this.prometheus = prometheus;
        registry.config()
                .commonTags(EdgeMeters.Tags.INSTANCE, instance, EdgeMeters.Tags.VERSION, version)
                .meterFilter(BinderMeterFilter.INSTANCE);
    }

    /** Backed by a Prometheus registry; {@code instance} null or blank means this host's name. */
    public static EdgeMetrics prometheus(String instance, String version) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new EdgeMetrics(
                registry, registry, instance == null || instance.isBlank() ? hostName() : instance, version);
    }

    /** Counts into a simple in-memory registry that nobody scrapes (unit tests of single handlers). */
    public static EdgeMetrics unscraped() {
        return new EdgeMetrics(new SimpleMeterRegistry(), null, "test", "test");
    }

    public MeterRegistry registry() {
        return registry;
    }

    // ---- binders ----------------------------------------------------------------------------------

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

    // ---- making meters ----------------------------------------------------------------------------

    /** The counter of {@code meter} with these tags (key, value, key, value...). */
    public Counter counter(EdgeMeters meter, String... tags) {
        return Counter.builder(meter.meterName())
                .description(meter.description())
                .baseUnit(meter.baseUnit())
                .tags(tags)
                .register(registry);
    }

    /**
     * One counter of {@code meter} per constant of {@code values}, tagged {@code tagKey} =
     * the constant's lower-case name, plus the fixed {@code tags} (key, value...).
     */
    public <E extends Enum<E>> EnumCounters<E> counters(
            EdgeMeters meter, String tagKey, Class<E> values, String... tags) {
        EnumMap<E, Counter> counters = new EnumMap<>(values);
        for (E constant : values.getEnumConstants()) {
            String[] all = Arrays.copyOf(tags, tags.length + 2);
            all[tags.length] = tagKey;
            all[tags.length + 1] = EnumCounters.tagValue(constant);
            counters.put(constant, counter(meter, all));
        }
        return new EnumCounters<>(counters);
    }

    /** A timer of {@code meter} with a Prometheus histogram of {@code min}..{@code max}, with these tags. */
    public Timer timer(EdgeMeters meter, java.time.Duration min, java.time.Duration max, String... tags) {
        return Timer.builder(meter.meterName())
                .description(meter.description())
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(min)
                .maximumExpectedValue(max)
                .register(registry);
    }

    /** A gauge of {@code meter} read on every scrape (so {@code value} must be safe from any thread). */
    public void gauge(EdgeMeters meter, Supplier<Number> value, String... tags) {
        Gauge.builder(meter.meterName(), value)
                .description(meter.description())
                .baseUnit(meter.baseUnit())
                .tags(io.micrometer.core.instrument.Tags.of(tags))
                .strongReference(true)
                .register(registry);
    }

    /** A counter of {@code meter} whose value some other object keeps (read on every scrape, from any thread). */
    public void functionCounter(EdgeMeters meter, LongSupplier value, String... tags) {
        functions.add(value);
        FunctionCounter.builder(meter.meterName(), value, LongSupplier::getAsLong)
                .description(meter.description())
                .tags(tags)
                .register(registry);
    }

    /**
     * The drain phase as its ordinal, and the time spent in every phase ({@code phaseMillis} maps a
     * phase label to milliseconds, as ShutdownCoordinator reports it).
     */
    public <P extends Enum<P>> void drain(
            Class<P> phases, Supplier<P> current, Supplier<Map<String, Long>> phaseMillis) {
        gauge(EdgeMeters.DRAIN_PHASE, () -> phaseNumber(current.get()));
        for (P phase : phases.getEnumConstants()) {
            String label = phase.name().toLowerCase(Locale.ROOT);
            gauge(
                    EdgeMeters.DRAIN_PHASE_DURATION,
                    () -> phaseMillis.get().getOrDefault(label, 0L) / 1000.0,
                    EdgeMeters.Tags.PHASE,
                    label);
        }
    }

    /** The phase gauge's value: the phase's place in the documented order (docs/metrics.md). */
    @SuppressWarnings("EnumOrdinal") // the enum's order is the documented order of the phases
    private static int phaseNumber(Enum<?> phase) {
        return phase.ordinal();
    }

    // ---- scraping ---------------------------------------------------------------------------------

    /** The exposition, in OpenMetrics when {@code accept} asks for it, else the Prometheus text format. */
    public Scrape scrape(String accept) {
        Objects.requireNonNull(prometheus, "this registry is not scraped");
        String type =
                accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
        return new Scrape(type, prometheus.scrape(type));
    }

    /** What {@code /metrics} answers. */
    public record Scrape(String contentType, String body) {}

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
