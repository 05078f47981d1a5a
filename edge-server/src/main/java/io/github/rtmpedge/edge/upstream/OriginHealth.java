package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each origin answers, shared by every stream of the edge. An origin that does not answer
 * TCP connect plus the RTMP handshake is unreachable: one {@link Prober} checks it every
 * probe_interval (jittered) instead of every waiting stream running its own backoff, and when it
 * answers the waiting streams go back to it spread over {@code reconnectSpread}, so that a
 * recovering origin never gets them all in the same millisecond. Thread-safe.
 */
final class OriginHealth {

    private static final Logger log = LoggerFactory.getLogger(OriginHealth.class);
    private static final double PROBE_JITTER = 0.2;

    /** Answers whether an origin takes TCP and the handshake; completes on the given loop. */
    interface ProbeRunner {
        void probe(EventLoop loop, OriginAddress origin, Consumer<String> failedOrNullOnSuccess);
    }

    private final Map<OriginAddress, Prober> unreachable = new ConcurrentHashMap<>();
    private final ProbeRunner runner;
    private final UpstreamMeters metrics;
    private volatile Duration probeInterval;
    private volatile Duration reconnectSpread;

    OriginHealth(ProbeRunner runner, Duration probeInterval, Duration reconnectSpread, UpstreamMeters metrics) {
        this.runner = runner;
        this.probeInterval = probeInterval;
        this.reconnectSpread = reconnectSpread;
        this.metrics = metrics;
    }

    /** A reloaded probe_interval applies from the next probe. */
    void reconfigure(Duration probeInterval) {
        this.probeInterval = probeInterval;
    }

    boolean isUnreachable(OriginAddress origin) {
        return unreachable.containsKey(origin);
    }

    /** {@code origin} did not answer TCP or the handshake: probe it from {@code loop} unless already probed. */
    void markUnreachable(OriginAddress origin, String reason, EventLoop loop) {
        unreachable.computeIfAbsent(origin, o -> {
            Prober prober = new Prober(o, loop);
            log.warn("origin {} unreachable ({}); probing it every {} ms", o, reason, probeInterval.toMillis());
            metrics.originUnreachable(true);
            prober.schedule();
            return prober;
        });
    }

    /**
     * Runs {@code task} on {@code loop} once {@code origin} answers, at a random moment within the
     * reconnect spread; at once if it is not known to be unreachable.
     */
    void whenReachable(OriginAddress origin, EventLoop loop, Runnable task) {
        Prober prober = unreachable.get(origin);
        if (prober == null || !prober.await(loop, task)) {
            loop.execute(task);
        }
    }

    /** One prober per unreachable origin; it ends when the origin answers. */
    private final class Prober {
        private final OriginAddress origin;
        private final EventLoop loop;
        private final long sinceNanos = System.nanoTime();
        private final List<Waiter> waiters = new ArrayList<>();
        private boolean answered;
        private int probes;

        Prober(OriginAddress origin, EventLoop loop) {
            this.origin = origin;
            this.loop = loop;
        }

        /** False when the origin has answered meanwhile (the caller goes at once). */
        synchronized boolean await(EventLoop on, Runnable task) {
            if (answered) {
                return false;
            }
            waiters.add(new Waiter(on, task));
            return true;
        }

        void schedule() {
            double spread = 1 + PROBE_JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            long delay = Math.round(probeInterval.toNanos() * spread);
            loop.schedule(this::probe, delay, TimeUnit.NANOSECONDS);
        }

        private void probe() {
            probes++;
            runner.probe(loop, origin, failed -> {
                if (failed != null) {
                    schedule();
                } else {
                    answered();
                }
            });
        }

        private void answered() {
            List<Waiter> woken;
            synchronized (this) {
                answered = true;
                woken = List.copyOf(waiters);
                waiters.clear();
            }
            unreachable.remove(origin, this);
            long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
            metrics.originUnreachable(false);
            long spreadMillis = woken.size() <= 1 ? 0 : reconnectSpread.toMillis();
            log.info(
                    "origin {} answers again after {} ms ({} probes); {} waiting upstreams reconnect within {} ms",
                    origin,
                    downMillis,
                    probes,
                    woken.size(),
                    spreadMillis);
            for (Waiter w : woken) {
                long at = spreadMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(spreadMillis);
                w.loop().schedule(w.task(), at, TimeUnit.MILLISECONDS);
            }
        }
    }

    private record Waiter(EventLoop loop, Runnable task) {}
}
