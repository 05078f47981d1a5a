package io.github.rtmpedge.edge.session;

import io.github.rtmpedge.edge.stream.Role;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts client connections, for max_connections and for operators: open ones, by role, and their
 * bytes. Sessions report from their own loops; anyone reads (atomics only).
 */
public final class ConnectionTracker {

    private volatile int maxConnections;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    // Striped: every connection's event loop adds to them on each read and write.
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final EnumMap<Role, AtomicInteger> byRole = new EnumMap<>(Role.class);

    public ConnectionTracker(int maxConnections) {
        this.maxConnections = maxConnections;
        for (Role role : Role.values()) {
            byRole.put(role, new AtomicInteger()); // filled here, only read after: safe from any thread
        }
    }

    /** Counts a new connection; false (and nothing counted as active) if it would exceed the maximum. */
    public boolean tryOpen() {
        while (true) {
            int now = active.get();
            if (now >= maxConnections) {
                rejected.incrementAndGet();
                return false;
            }
            if (active.compareAndSet(now, now + 1)) {
                accepted.incrementAndGet();
                return true;
            }
        }
    }

    public void closed() {
        active.decrementAndGet();
    }

    /** A session's role changed from {@code from} to {@code to} (back to NONE when it ends). */
    public void roleChanged(Role from, Role to) {
        if (from != to) {
            byRole.get(from).decrementAndGet();
            byRole.get(to).incrementAndGet();
        }
    }

    /** A session started in {@code role} (NONE before connect). */
    public void sessionStarted(Role role) {
        byRole.get(role).incrementAndGet();
    }

    /** A session that ended in {@code role}. */
    public void sessionEnded(Role role) {
        byRole.get(role).decrementAndGet();
    }

    /** Open client sessions whose role is {@code role} now. */
    public int count(Role role) {
        return byRole.get(role).get();
    }

    public int active() {
        return active.get();
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** A reloaded limit applies to connections accepted from now on. */
    public void maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Bytes read from a client connection, counted as they arrive. */
    public void bytesIn(long bytes) {
        bytesIn.add(bytes);
    }

    /** Bytes written to a client connection, counted as they are handed to the transport. */
    public void bytesOut(long bytes) {
        bytesOut.add(bytes);
    }

    /** Bytes received from every client connection so far, closed and open. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes written to every client connection so far, closed and open. */
    public long bytesOut() {
        return bytesOut.sum();
    }
}
