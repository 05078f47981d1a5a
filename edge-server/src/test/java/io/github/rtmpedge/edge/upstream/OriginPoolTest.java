package io.github.rtmpedge.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.ClusterConfig.OriginSelection;
import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.netty.channel.DefaultEventLoop;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OriginPoolTest {

    private static final OriginAddress A = new OriginAddress("10.0.0.1", 1935);
    private static final OriginAddress B = new OriginAddress("10.0.0.2", 1935);
    private static final OriginAddress C = new OriginAddress("10.0.0.3", 1936);
    private static final List<OriginAddress> ORIGINS = List.of(A, B, C);
    private static final StreamKey LIVE = new StreamKey("live", "cam1");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private OriginPool pool(OriginSelection selection) {
        return new OriginPool(ORIGINS, selection, now::get);
    }

    @Test
    void roundRobinStartsEachUpstreamAtTheNextOrigin() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        assertEquals(List.of(A, B, C), p.order(LIVE));
        assertEquals(List.of(B, C, A), p.order(LIVE));
        assertEquals(List.of(C, A, B), p.order(LIVE));
        assertEquals(List.of(A, B, C), p.order(LIVE));
    }

    @Test
    void consistentHashGivesTheSameOrderOnTwoPools() {
        for (int i = 0; i < 50; i++) {
            StreamKey key = new StreamKey("live", "stream" + i);
            assertEquals(
                    pool(OriginSelection.CONSISTENT_HASH).order(key),
                    pool(OriginSelection.CONSISTENT_HASH).order(key),
                    key.toString());
        }
    }

    @Test
    void consistentHashGivesTheSameOrderEveryTime() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        assertEquals(p.order(LIVE), p.order(LIVE));
    }

    @Test
    void consistentHashSpreadsStreamsOverTheOrigins() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        Map<OriginAddress, Integer> first = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            first.merge(p.order(new StreamKey("live", "stream" + i)).get(0), 1, Integer::sum);
        }
        for (OriginAddress o : ORIGINS) {
            int n = first.getOrDefault(o, 0);
            assertTrue(n >= 200 && n <= 470, o + " is first for " + n + " of 1000 streams: " + first);
        }
    }

    @Test
    void failedOriginGoesLastUntilItsTimeHasPassed() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(2));
        assertEquals(List.of(B, C, A), p.order(LIVE)); // round robin would start at A
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(List.of(B, C, A), p.order(LIVE)); // the plain turn (start at B) once A is back
        assertEquals(List.of(C, A, B), p.order(LIVE));
    }

    @Test
    void reorderingAfterAFailureDoesNotTakeARoundRobinTurn() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        assertEquals(List.of(A, B, C), p.order(LIVE));
        p.failed(A, TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(B, C, A), p.reorder(LIVE));
        assertEquals(List.of(B, C, A), p.order(LIVE)); // the next new upstream still starts at B
    }

    @Test
    void failedOriginStillDownJustBeforeItsTime() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(2));
        now.addAndGet(TimeUnit.SECONDS.toNanos(2) - 1);
        assertEquals(List.of(B, C, A), p.order(LIVE));
    }

    @Test
    void failedOriginsKeepTheirRelativeOrderAtTheEnd() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(5));
        p.failed(B, TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(C, A, B), p.order(LIVE));
    }

    @Test
    void succeededOriginIsPreferredAgainAtOnce() {
        OriginPool p = pool(OriginSelection.ROUND_ROBIN);
        p.failed(A, TimeUnit.SECONDS.toNanos(5));
        p.succeeded(A);
        assertEquals(List.of(A, B, C), p.order(LIVE));
    }

    @Test
    void consistentHashMovesAFailedOriginLast() {
        OriginPool p = pool(OriginSelection.CONSISTENT_HASH);
        List<OriginAddress> preferred = p.order(LIVE);
        p.failed(preferred.get(0), TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(preferred.get(1), preferred.get(2), preferred.get(0)), p.order(LIVE));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final OriginAddress ONE = new OriginAddress("127.0.0.1", 1935);
    private static final OriginAddress TWO = new OriginAddress("127.0.0.2", 1935);
    private static final OriginAddress THREE = new OriginAddress("127.0.0.3", 1935);

    @Test
    void aNameWithSeveralAddressesIsOneOriginPerAddress() {
        OriginPool p = new OriginPool(
                List.of(new OriginAddress("origins.live.svc", 1935), C), OriginSelection.ROUND_ROBIN, now::get, host ->
                        new InetAddress[] {ip("127.0.0.1"), ip("127.0.0.2")});
        assertEquals(List.of(ONE, TWO, C), p.order(LIVE));
        assertEquals(List.of(TWO, C, ONE), p.order(LIVE)); // round robin over the addresses
        p.failed(TWO, TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(C, ONE, TWO), p.order(LIVE)); // a failed address goes last on its own
    }

    @Test
    void aNameIsResolvedAgainOnEveryOrder() {
        AtomicInteger lookups = new AtomicInteger();
        List<InetAddress[]> answers = List.of(
                new InetAddress[] {ip("127.0.0.1"), ip("127.0.0.2")},
                new InetAddress[] {ip("127.0.0.2"), ip("127.0.0.3")});
        OriginPool p = new OriginPool(
                List.of(new OriginAddress("origins.live.svc", 1935)),
                OriginSelection.CONSISTENT_HASH,
                now::get,
                host -> answers.get(Math.min(lookups.getAndIncrement(), 1)));
        assertEquals(Set.of(ONE, TWO), Set.copyOf(p.order(LIVE)));
        assertEquals(Set.of(TWO, THREE), Set.copyOf(p.order(LIVE))); // a pod replaced: its new address
        assertEquals(2, lookups.get()); // once per order, no cache of our own
    }

    @Test
    void consistentHashOverTheAddressesOfANameIsTheSameOnEveryEdge() {
        OriginResolver.Lookup two = host -> new InetAddress[] {ip("127.0.0.1"), ip("127.0.0.2")};
        OriginResolver.Lookup reversed = host -> new InetAddress[] {ip("127.0.0.2"), ip("127.0.0.1")};
        for (int i = 0; i < 20; i++) {
            StreamKey key = new StreamKey("live", "stream" + i);
            List<OriginAddress> named = List.of(new OriginAddress("origins", 1935));
            assertEquals(
                    new OriginPool(named, OriginSelection.CONSISTENT_HASH, now::get, two).order(key),
                    new OriginPool(named, OriginSelection.CONSISTENT_HASH, now::get, reversed).order(key),
                    key.toString()); // DNS answers in any order
        }
    }

    @Test
    void aNameThatDoesNotResolveIsKeptAsTheName() {
        OriginAddress named = new OriginAddress("gone.live.svc", 1935);
        OriginPool p = new OriginPool(List.of(named, A), OriginSelection.ROUND_ROBIN, now::get, host -> {
            throw new UnknownHostException(host);
        });
        assertEquals(List.of(named, A), p.order(LIVE));
    }

    @Test
    void literalsAreNotLookedUpAndDuplicatesCountOnce() {
        List<String> looked = new ArrayList<>();
        OriginPool p = new OriginPool(
                List.of(A, new OriginAddress("::1", 1935), new OriginAddress("a.example", 1935)),
                OriginSelection.ROUND_ROBIN,
                now::get,
                host -> {
                    looked.add(host);
                    return new InetAddress[] {ip("10.0.0.1")}; // the same address as A
                });
        assertEquals(List.of(A, new OriginAddress("::1", 1935)), p.order(LIVE));
        assertEquals(List.of("a.example"), looked);
    }

    @Test
    void anUpstreamsLookupRunsOffItsLoopAndItsOrderComesBackOnTheLoop() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            List<Thread> lookedUpOn = new CopyOnWriteArrayList<>();
            OriginPool p = new OriginPool(
                    List.of(new OriginAddress("a.example", 1935)), OriginSelection.ROUND_ROBIN, now::get, host -> {
                        lookedUpOn.add(Thread.currentThread());
                        return new InetAddress[] {ip("10.0.0.7")};
                    });
            CompletableFuture<List<OriginAddress>> order = new CompletableFuture<>();
            AtomicBoolean onLoop = new AtomicBoolean();
            loop.execute(() -> p.order(LIVE, OriginResolver.LOOKUPS, loop, o -> {
                onLoop.set(loop.inEventLoop());
                order.complete(o);
            }));
            assertEquals(List.of(new OriginAddress("10.0.0.7", 1935)), order.get(5, TimeUnit.SECONDS));
            assertTrue(onLoop.get(), "the order is handed over on the loop");
            assertEquals(1, lookedUpOn.size());
            assertTrue(
                    lookedUpOn.get(0).getName().startsWith("origin-lookup-"),
                    lookedUpOn.get(0).getName());
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void literalsNeedNoHopOffTheLoop() {
        List<List<OriginAddress>> got = new ArrayList<>();
        pool(OriginSelection.ROUND_ROBIN)
                .order(
                        LIVE,
                        r -> {
                            throw new AssertionError("no lookup to run");
                        },
                        null,
                        got::add);
        assertEquals(1, got.size());
    }
}
