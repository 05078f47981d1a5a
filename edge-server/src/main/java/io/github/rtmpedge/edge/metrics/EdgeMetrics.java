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
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
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

    /** The build info series' name, as Prometheus renders it. */
    public static final String BUILD_INFO = "rtmp_edge_build_info";

    /** Prometheus text format 0.0.4. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0, when the scraper asks for it. */
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private volatile AppLabels appLabels;
    private final List<AutoCloseable> binders = new CopyOnWriteArrayList<>();
    /**
     * The functions behind function counters: Micrometer holds them weakly, and a method reference
     * made at the call site is referenced from nowhere else, so a GC would turn the counter into NaN.
     */
    private final List<Object> functions = new CopyOnWriteArrayList<>();

    /**
     * No common tags: a scraper adds its own {@code instance} (ours would become
     * {@code exported_instance}), and a {@code version} on every series would replace them all on
     * each rollout; the version is on {@link #buildInfo} alone.
     */
    private EdgeMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        registry.config().meterFilter(BinderMeterFilter.INSTANCE);
    }

    /** Backed by a Prometheus registry. */
    public static EdgeMetrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new EdgeMetrics(registry, registry);
    }

    /** Counts into a simple in-memory registry that nobody scrapes (unit tests of single handlers). */
    public static EdgeMetrics unscraped() {
        return new EdgeMetrics(new SimpleMeterRegistry(), null);
    }

    /**
     * {@code rtmp_edge_build_info{version,java_version,transport,arch} 1}: what runs, as labels of
     * one constant series (join on it: {@code * on (instance) group_left (version)}). A Prometheus
     * info metric, registered beside Micrometer's meters (a Micrometer gauge loses the
     * {@code _info} suffix, which the Prometheus client reserves).
     */
    public EdgeMetrics buildInfo(String version, String transport) {
        if (prometheus != null) {
            Info.builder()
                    .name(BUILD_INFO)
                    .help("What this server is: its version, the Java runtime's version, the transport"
                            + " (epoll or nio) and the CPU architecture; always 1")
                    .labelNames("version", "java_version", "transport", "arch")
                    .register(prometheus.getPrometheusRegistry())
                    .setLabelValues(
                            version,
                            System.getProperty("java.version", "unknown"),
                            transport,
                            System.getProperty("os.arch", "unknown"));
        }
        return this;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Counts players and publishers by app too (the rtmp.app.* meters), the first {@code max}
     * distinct apps under their name and the rest as {@code other}. Before the servers are made.
     */
    public EdgeMetrics labelApps(int max) {
        appLabels = new AppLabels(max);
        return this;
    }

    /** The app label's values, or null when apps are not counted (the default). */
    public AppLabels appLabels() {
        return appLabels;
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

    /** A gauge of {@code meter} read on every scrape (so {@code value} must be safe from any thread). */
    public void gauge(EdgeMeters meter, Supplier<Number> value, String... tags) {
        Gauge.builder(meter.meterName(), value)
                .description(meter.description())
                .baseUnit(meter.baseUnit())
                .tags(io.micrometer.core.instrument.Tags.of(tags))
                .strongReference(true)
                .register(registry);
    }

    /**
     * The timer of {@code meter} with these tags (key, value...): a Prometheus histogram in seconds
     * with the meter's bucket bounds ({@code _bucket}, {@code _sum}, {@code _count}) and a
     * {@code _max} gauge. Register every tag combination at start-up so each series exists from
     * the first scrape, at zero.
     */
    public Timer timer(EdgeMeters meter, String... tags) {
        return Timer.builder(meter.meterName())
                .description(meter.description())
                .tags(tags)
                .serviceLevelObjectives(meter.buckets().toArray(Duration[]::new))
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
}
