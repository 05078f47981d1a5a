package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.PublishForwarder;
import io.github.rtmpedge.edge.stream.SourceSupervisor;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.command.StreamName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The edge (cluster.mode = remote): the first player of a stream without a local publisher starts
 * one upstream pull, later players share it, and it closes {@code idle_close} after the last player
 * left; a local publisher is forwarded to an origin.
 */
public final class EdgeSupervisor implements SourceSupervisor, PublishForwarder {

    private volatile UpstreamContext context;
    private volatile boolean draining;
    private final Map<LiveStream, UpstreamPull> pulls = new ConcurrentHashMap<>();
    /** How long the streams waiting for an origin take to go back to it once it answers. */
    private static final java.time.Duration RECONNECT_SPREAD = java.time.Duration.ofMillis(500);

    private final UpstreamMeters metrics;
    /** Kept across reloads: an origin's health does not change with the configuration. */
    private final OriginHealth health;

    public EdgeSupervisor(EdgeConfig config, ChunkLimits chunkLimits, AmfLimits amfLimits, UpstreamMeters metrics) {
        this.metrics = metrics;
        this.health = new OriginHealth(
                (loop, origin, outcome) -> context.connector().probe(loop, origin, outcome),
                config.cluster().probeInterval(),
                RECONNECT_SPREAD,
                metrics);
        this.context = contextFor(config, chunkLimits, amfLimits, metrics, health);
        watchOrigins();
    }

    /**
     * Every address of the configured origins gets its {@code rtmp_upstream_origin_state} series:
     * now (names resolved once at start-up and on reload) and whenever a name yields a new address.
     */
    private void watchOrigins() {
        OriginPool pool = context.pool();
        pool.onAddress(o -> metrics.watchOrigin(o.toString(), () -> stateOf(o).value()));
        pool.addresses(); // resolves, and so registers
    }

    private UpstreamMeters.OriginState stateOf(io.github.rtmpedge.config.OriginAddress origin) {
        if (health.isUnreachable(origin)) {
            return UpstreamMeters.OriginState.UNREACHABLE;
        }
        return context.pool().backingOff(origin)
                ? UpstreamMeters.OriginState.BACKING_OFF
                : UpstreamMeters.OriginState.UP;
    }

    /** A reloaded origin list, selection, retry and timeouts apply to upstreams started from now on. */
    public void reconfigure(EdgeConfig config, ChunkLimits chunkLimits, AmfLimits amfLimits) {
        health.reconfigure(config.cluster().probeInterval());
        this.context = contextFor(config, chunkLimits, amfLimits, metrics, health);
        watchOrigins();
    }

    /** During a drain an upstream pull closes as soon as its last player leaves. */
    public void draining() {
        draining = true;
    }

    private static UpstreamContext contextFor(
            EdgeConfig config,
            ChunkLimits chunkLimits,
            AmfLimits amfLimits,
            UpstreamMeters metrics,
            OriginHealth health) {
        OriginPool pool =
                new OriginPool(config.cluster().origins(), config.cluster().originSelection(), System::nanoTime);
        Backoff backoff = new Backoff(
                config.cluster().retry(), () -> ThreadLocalRandom.current().nextDouble());
        UpstreamConnector connector =
                new UpstreamConnector(config.cluster().connectTimeout(), chunkLimits, amfLimits, metrics);
        return new UpstreamContext(
                config.cluster(),
                pool,
                health,
                backoff,
                connector,
                config.chunkSize(),
                config.queueLength().toMillis(),
                metrics);
    }

    /** Streams with an upstream pull, for operators and tests. */
    public int pulls() {
        return pulls.size();
    }

    @Override
    public void playerJoined(LiveStream stream) {
        UpstreamPull pull = pulls.get(stream);
        if (pull != null) {
            pull.cancelIdleClose();
            return;
        }
        if (stream.source() != null) {
            return; // published on this edge: players are served locally
        }
        pull = new UpstreamPull(stream, context);
        pulls.put(stream, pull);
        pull.start();
    }

    @Override
    public void noPlayers(LiveStream stream) {
        UpstreamPull pull = pulls.get(stream);
        if (pull != null) {
            pull.scheduleIdleClose(
                    draining ? java.time.Duration.ZERO : context.cluster().idleClose(), () -> {
                        if (stream.subscriberCount() == 0 && pulls.remove(stream, pull)) {
                            pull.stop();
                            stream.closeIfUnused();
                        }
                    });
        }
    }

    @Override
    public void streamClosed(LiveStream stream) {
        UpstreamPull pull = pulls.remove(stream);
        if (pull != null) {
            pull.stop();
        }
    }

    @Override
    public Forward start(LiveStream stream, String app, StreamName name) {
        UpstreamPush push = new UpstreamPush(stream, context, app, name);
        push.start();
        return push;
    }
}
