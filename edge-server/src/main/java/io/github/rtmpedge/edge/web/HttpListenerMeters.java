package io.github.rtmpedge.edge.web;

import io.github.rtmpedge.config.ConfigKey;
import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one HTTP listener counts: its open connections (which also enforce its connection limit),
 * the connections it refused, the requests it refused by {@link HttpRefusal}, and the idle
 * kept-alive connections it closed. Thread-safe: every connection's loop reports here.
 */
public final class HttpListenerMeters {

    private final String listener;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter rejectedConnections;
    private final EnumCounters<HttpRefusal> refusals;
    private final Counter idleClosed;

    /** {@code listener}: the label value, {@code api} or {@code flv}. */
    public HttpListenerMeters(EdgeMetrics metrics, String listener) {
        this.listener = listener;
        String tag = EdgeMeters.Tags.LISTENER;
        metrics.gauge(EdgeMeters.HTTP_CONNECTIONS_ACTIVE, active::get, tag, listener);
        rejectedConnections = metrics.counter(
                EdgeMeters.HTTP_CONNECTIONS_REJECTED,
                tag,
                listener,
                EdgeMeters.Tags.REASON,
                ConfigKey.MAX_CONNECTIONS.path()); // the limit's name is the reason, as for RTMP
        refusals = metrics.counters(
                EdgeMeters.HTTP_REQUESTS_REJECTED, EdgeMeters.Tags.REASON, HttpRefusal.class, tag, listener);
        idleClosed = metrics.counter(EdgeMeters.HTTP_IDLE_CLOSED, tag, listener);
    }

    public String listener() {
        return listener;
    }

    /** Counts a new connection; false (counted as rejected) when {@code max} are open already. */
    boolean tryOpen(int max) {
        while (true) {
            int now = active.get();
            if (now >= max) {
                rejectedConnections.increment();
                return false;
            }
            if (active.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void closed() {
        active.decrementAndGet();
    }

    /** Open connections now. */
    public int active() {
        return active.get();
    }

    public double rejectedConnections() {
        return rejectedConnections.count();
    }

    void refused(HttpRefusal why) {
        refusals.increment(why);
    }

    public double refusals(HttpRefusal why) {
        return refusals.count(why);
    }

    /**
     * Whether the refusal just counted should be logged: the first of its kind, then one in a
     * hundred (a flood must not flood the log).
     */
    boolean shouldLog(HttpRefusal why) {
        return (long) refusals.count(why) % 100 == 1;
    }

    /** Whether the rejected connection just counted should be logged: the first, then one in a hundred. */
    boolean shouldLogRejection() {
        return (long) rejectedConnections.count() % 100 == 1;
    }

    void closedIdle() {
        idleClosed.increment();
    }

    public double idleClosed() {
        return idleClosed.count();
    }
}
