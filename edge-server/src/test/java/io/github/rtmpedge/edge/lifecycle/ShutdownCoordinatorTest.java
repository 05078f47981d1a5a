package io.github.rtmpedge.edge.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.lifecycle.ShutdownCoordinator.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The graceful and fast quit sequences against a fake server. */
class ShutdownCoordinatorTest {

    /** Records what the coordinator did, and when. */
    private static final class FakeServer implements ShutdownCoordinator.Target {
        final AtomicInteger connections = new AtomicInteger();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Long> closeTimes = Collections.synchronizedList(new ArrayList<>());
        volatile long listenersClosedAt;
        volatile long stoppedAt;

        @Override
        public void closeListeners() {
            listenersClosedAt = System.nanoTime();
            events.add("listeners closed");
        }

        @Override
        public int activeConnections() {
            return connections.get();
        }

        @Override
        public String describeConnections() {
            return connections.get() + " connections";
        }

        @Override
        public List<Runnable> closersOfRemainingConnections() {
            List<Runnable> closers = new ArrayList<>();
            for (int i = 0; i < connections.get(); i++) {
                closers.add(() -> {
                    closeTimes.add(System.nanoTime());
                    connections.decrementAndGet();
                });
            }
            return closers;
        }

        @Override
        public void drainStarted() {
            events.add("drain started");
        }

        @Override
        public void stop() {
            stoppedAt = System.nanoTime();
            events.add("stopped");
        }
    }

    private static ShutdownCoordinator.Timing timing(long startMs, long finalMs, long drainTimeoutMs, long spreadMs) {
        return new ShutdownCoordinator.Timing(
                Duration.ofMillis(startMs),
                Duration.ofMillis(finalMs),
                Duration.ofMillis(drainTimeoutMs),
                Duration.ofMillis(spreadMs));
    }

    @Test
    void gracefulRunsThePhasesInOrderAndWaitsForConnections() {
        FakeServer server = new FakeServer();
        server.connections.set(2);
        AtomicInteger exits = new AtomicInteger();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(300, 200, 0, 0), server, exits::incrementAndGet);
        assertTrue(c.ready());
        long requested = System.nanoTime();
        assertTrue(c.requestGraceful("test"));
        assertFalse(c.ready(), "readiness fails at once");
        assertEquals(Phase.DRAIN_REQUESTED, c.phase());
        await().atMost(5, TimeUnit.SECONDS).until(() -> c.phase() == Phase.DRAINING);
        long startWait = TimeUnit.NANOSECONDS.toMillis(server.listenersClosedAt - requested);
        assertTrue(
                startWait >= 300 && startWait < 1500, "listeners closed after grace_start_wait: " + startWait + " ms");
        // Connections leave on their own; nothing is forced without a drain_timeout.
        server.connections.set(0);
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.get() == 1);
        assertEquals(Phase.STOPPED, c.phase());
        assertEquals(List.of("drain started", "listeners closed", "stopped"), server.events);
        assertEquals(
                List.of("running", "drain_requested", "listeners_closed", "draining", "final_wait", "stopped"),
                List.copyOf(c.phaseMillis().keySet()));
        long finalWait = c.phaseMillis().get("final_wait");
        assertTrue(finalWait >= 200 && finalWait < 1500, "grace_final_wait: " + finalWait + " ms");
    }

    @Test
    void aSecondGracefulRequestIsIgnored() {
        FakeServer server = new FakeServer();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(200, 0, 0, 0), server, () -> {});
        assertTrue(c.requestGraceful("first"));
        assertFalse(c.requestGraceful("second"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> c.phase() == Phase.STOPPED);
    }

    @Test
    void fastRequestDuringTheStartWaitStopsAtOnce() {
        FakeServer server = new FakeServer();
        server.connections.set(3);
        AtomicInteger exits = new AtomicInteger();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(60_000, 60_000, 0, 0), server, exits::incrementAndGet);
        c.requestGraceful("QUIT");
        long fastAt = System.nanoTime();
        c.requestFast("INT");
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.get() == 1);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(server.stoppedAt - fastAt) < 2000, "no minute-long wait");
        assertEquals(Phase.STOPPED, c.phase());
    }

    @Test
    void fastRequestWhileDrainingStopsAtOnce() {
        FakeServer server = new FakeServer();
        server.connections.set(1);
        AtomicInteger exits = new AtomicInteger();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(0, 60_000, 0, 0), server, exits::incrementAndGet);
        c.requestGraceful("QUIT");
        await().atMost(5, TimeUnit.SECONDS).until(() -> c.phase() == Phase.DRAINING);
        c.requestFast("INT");
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.get() == 1);
        assertTrue(server.events.contains("stopped"));
    }

    @Test
    void fastWithoutGracefulStops() {
        FakeServer server = new FakeServer();
        AtomicInteger exits = new AtomicInteger();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(60_000, 60_000, 0, 0), server, exits::incrementAndGet);
        c.requestFast("TERM");
        assertFalse(c.ready());
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.get() == 1);
        assertEquals(List.of("listeners closed", "stopped"), server.events);
    }

    @Test
    void drainTimeoutClosesTheRestSpreadOverTheWindow() {
        FakeServer server = new FakeServer();
        server.connections.set(5);
        AtomicInteger exits = new AtomicInteger();
        ShutdownCoordinator c = new ShutdownCoordinator(timing(0, 0, 300, 800), server, exits::incrementAndGet);
        c.requestGraceful("QUIT");
        await().atMost(10, TimeUnit.SECONDS).until(() -> exits.get() == 1);
        assertEquals(5, server.closeTimes.size());
        List<Long> times = new ArrayList<>(server.closeTimes);
        long span = TimeUnit.NANOSECONDS.toMillis(times.get(4) - times.get(0));
        assertTrue(span >= 700 && span < 2000, "closes spread over drain_spread (800 ms): " + span + " ms");
        long firstGap = TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0));
        assertTrue(firstGap >= 150, "not all at once: first gap " + firstGap + " ms");
        long afterTimeout = TimeUnit.NANOSECONDS.toMillis(times.get(0) - server.listenersClosedAt);
        assertTrue(afterTimeout >= 300, "nothing closed before drain_timeout: " + afterTimeout + " ms");
    }
}
