package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.ClusterConfig.OriginSelection;
import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * The configured origins and how to choose among them. Round robin (as SRS) starts each new
 * upstream at the next origin in turn; consistent hashing gives every edge the same order for a
 * stream (rendezvous hashing), so a stream lands on the same origin from every edge. Either way an
 * origin that just failed is tried after the others until its backoff has passed. Origins given by
 * host name are resolved on every call of {@link #order} ({@link OriginResolver}): each address of a
 * name is an origin in the order, the health and the failover.
 */
public final class OriginPool {

    private final List<OriginAddress> origins;
    private final OriginSelection selection;
    private final LongSupplier nanoClock;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Map<OriginAddress, Long> downUntilNanos = new ConcurrentHashMap<>();
    private final OriginResolver resolver;
    private final boolean names;
    private volatile Consumer<OriginAddress> seen = o -> {};

    public OriginPool(List<OriginAddress> origins, OriginSelection selection, LongSupplier nanoClock) {
        this(origins, selection, nanoClock, OriginResolver.JDK);
    }

    /** Tells {@code seen} every address an order holds (for the per-origin state gauge). */
    void onAddress(Consumer<OriginAddress> seen) {
        this.seen = seen;
    }

    OriginPool(
            List<OriginAddress> origins,
            OriginSelection selection,
            LongSupplier nanoClock,
            OriginResolver.Lookup lookup) {
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("no origins");
        }
        this.origins = List.copyOf(origins);
        this.selection = selection;
        this.nanoClock = nanoClock;
        this.resolver = new OriginResolver(lookup);
        this.names = this.origins.stream().anyMatch(o -> !OriginResolver.isLiteral(o.host()));
    }

    /** The origins as configured (names not resolved). */
    public List<OriginAddress> origins() {
        return origins;
    }

    /** Every address of the configured origins, names resolved now. */
    List<OriginAddress> addresses() {
        List<OriginAddress> addresses = resolver.expand(origins);
        addresses.forEach(seen);
        return addresses;
    }

    /**
     * The order in which an upstream for {@code key} tries the origins, host names resolved now.
     * Each call of a round-robin pool starts one further.
     */
    public List<OriginAddress> order(StreamKey key) {
        return order(key, roundRobin.getAndIncrement());
    }

    /**
     * The order again, names resolved again, for an upstream that failed: a round-robin pool does
     * not take a turn (the caller goes on after the origin that failed, wherever it now is).
     */
    List<OriginAddress> reorder(StreamKey key) {
        return order(key, roundRobin.get());
    }

    /**
     * As {@link #order(StreamKey)}, for a caller on {@code loop} that must not block: host names are
     * looked up on {@code lookups} (the JDK's resolver and its cache, as ever) and {@code then} runs
     * on {@code loop} with the order; at once, on the caller's thread, when no origin is a name.
     */
    void order(StreamKey key, Executor lookups, EventLoop loop, Consumer<List<OriginAddress>> then) {
        arrangeOff(key, roundRobin.getAndIncrement(), lookups, loop, then);
    }

    /** As {@link #reorder(StreamKey)}, off the loop as {@link #order(StreamKey, Executor, EventLoop, Consumer)}. */
    void reorder(StreamKey key, Executor lookups, EventLoop loop, Consumer<List<OriginAddress>> then) {
        arrangeOff(key, roundRobin.get(), lookups, loop, then);
    }

    private void arrangeOff(
            StreamKey key, int turn, Executor lookups, EventLoop loop, Consumer<List<OriginAddress>> then) {
        if (!names) {
            then.accept(arrange(key, turn, addresses()));
            return;
        }
        lookups.execute(() -> {
            List<OriginAddress> addresses = addresses();
            loop.execute(() -> then.accept(arrange(key, turn, addresses)));
        });
    }

    private List<OriginAddress> order(StreamKey key, int turn) {
        return arrange(key, turn, addresses());
    }

    private List<OriginAddress> arrange(StreamKey key, int turn, List<OriginAddress> origins) {
        List<OriginAddress> order = new ArrayList<>(origins.size());
        if (selection == OriginSelection.CONSISTENT_HASH) {
            order.addAll(origins);
            order.sort(Comparator.comparingLong((OriginAddress o) -> weight(key, o))
                    .reversed());
        } else {
            int start = Math.floorMod(turn, origins.size());
            for (int i = 0; i < origins.size(); i++) {
                order.add(origins.get((start + i) % origins.size()));
            }
        }
        // Origins that failed recently go last (stable within each group).
        long now = nanoClock.getAsLong();
        order.sort(Comparator.comparingInt(o -> isDown(o, now) ? 1 : 0));
        return order;
    }

    /** Marks {@code origin} as failed for {@code forNanos}: others are preferred meanwhile. */
    public void failed(OriginAddress origin, long forNanos) {
        downUntilNanos.put(origin, nanoClock.getAsLong() + forNanos);
    }

    public void succeeded(OriginAddress origin) {
        downUntilNanos.remove(origin);
    }

    /** {@code origin} failed and its backoff has not passed yet. */
    boolean backingOff(OriginAddress origin) {
        return isDown(origin, nanoClock.getAsLong());
    }

    private boolean isDown(OriginAddress origin, long now) {
        Long until = downUntilNanos.get(origin);
        return until != null && until - now > 0;
    }

    private static long weight(StreamKey key, OriginAddress origin) {
        CRC32C crc = new CRC32C();
        crc.update((key + "|" + origin.host() + ":" + origin.port()).getBytes(StandardCharsets.UTF_8));
        long h = crc.getValue() * 0x9E3779B97F4A7C15L; // spread the 32-bit CRC over 64 bits
        return h ^ (h >>> 29);
    }
}
