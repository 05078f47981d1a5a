package io.github.rtmpedge.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One prober per unreachable origin, whatever the number of streams waiting; each waiter woken once. */
class OriginHealthTest {

    private static final OriginAddress A = new OriginAddress("10.0.0.1", 1935);
    private static final OriginAddress B = new OriginAddress("10.0.0.2", 1935);

    private final EventLoop loop = new DefaultEventLoop();
    private final EdgeMetrics metrics = EdgeMetrics.unscraped();
    private final UpstreamMeters meters = new UpstreamMeters(metrics, new TrafficMeters(metrics));
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicBoolean answers = new AtomicBoolean();
    private final OriginHealth health = new OriginHealth(
            (on, origin, outcome) -> {
                probes.incrementAndGet();
                on.execute(() -> outcome.accept(answers.get() ? null : "refused"));
            },
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            meters);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
    }

    @Test
    void manyWaitersShareOneProberAndAreWokenOnceWhenTheOriginAnswers() {
        List<Integer> woken = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 200; i++) {
            health.markUnreachable(A, "refused", loop); // every stream notices; one prober
            int stream = i;
            health.whenReachable(A, loop, () -> woken.add(stream));
        }
        assertTrue(health.isUnreachable(A));
        assertFalse(health.isUnreachable(B));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= 10);
        // About one probe per 50 ms (+/- 20 %) whatever the 200 waiters: never 200 at once.
        assertTrue(probes.get() < 30, () -> probes.get() + " probes");
        assertEquals(List.of(), woken);

        answers.set(true);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 200);
        assertFalse(health.isUnreachable(A));
        assertEquals(200, woken.stream().distinct().count());
        int probesWhenUp = probes.get();
        // A stream that asks now goes at once, and the prober has ended.
        AtomicBoolean now = new AtomicBoolean();
        health.whenReachable(A, loop, () -> now.set(true));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(now);
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> probes.get() == probesWhenUp);
    }
}
