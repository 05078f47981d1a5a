package io.github.rtmpedge.edge.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful and fast quit with SRS semantics, plus a bounded drain.
 *
 * <p>Graceful: (1) drain requested — readiness fails at once, listeners still accept;
 * (2) wait {@code grace_start_wait}; (3) listeners closed; (4) draining — existing connections go on
 * until they leave, bounded by {@code drain_timeout} (0 = unbounded, as SRS), after which the rest
 * are closed spread over {@code drain_spread} (players first, publishers last); (5) wait {@code grace_final_wait}; (6) stopped — the
 * HTTP port last, event loops, logs, exit 0. A fast request at any point (SIGINT, or SIGTERM without
 * force_grace_quit) cuts the sequence short. The phases run on a thread of their own, never on an
 * event loop.
 */
public final class ShutdownCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ShutdownCoordinator.class);

    /** Drain phases, in order; the ordinal is the value of the phase gauge. */
    public enum Phase {
        RUNNING,
        DRAIN_REQUESTED,
        LISTENERS_CLOSED,
        DRAINING,
        FINAL_WAIT,
        STOPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the coordinator acts on. */
    public interface Target {
        void closeListeners();

        /** Client connections still open. */
        int activeConnections();

        /** A short description of who is left, for progress lines. */
        String describeConnections();

        /**
         * One closer per connection still open, in the order to close them over drain_spread: players
         * in random order first, publishers last (closing a publisher ends its players' stream at once).
         */
        List<Runnable> closersOfRemainingConnections();

        /** The drain started: e.g. let upstream pulls go as soon as their last player leaves. */
        void drainStarted();

        /** The drain ended with every client connection gone, {@code took} after it began (for a histogram). */
        default void drained(Duration took) {}

        /** Closes everything (HTTP last) and shuts the event loops down. */
        void stop();
    }

    /** The waits and bounds, from the configuration. */
    public record Timing(
            Duration graceStartWait, Duration graceFinalWait, Duration drainTimeout, Duration drainSpread) {}

    private final Timing timing;
    private final Target target;
    private final Runnable exit;
    private final Object lock = new Object();
    private final Map<Phase, Long> enteredNanos = Collections.synchronizedMap(new EnumMap<>(Phase.class));
    private volatile Phase phase = Phase.RUNNING;
    private volatile boolean fast;
    private Thread worker;

    /** {@code exit} runs last, after everything stopped (System.exit(0) in the real process). */
    public ShutdownCoordinator(Timing timing, Target target, Runnable exit) {
        this.timing = timing;
        this.target = target;
        this.exit = exit;
        enteredNanos.put(Phase.RUNNING, System.nanoTime());
    }

    public Phase phase() {
        return phase;
    }

    /** Ready for new connections: true until a quit is requested. */
    public boolean ready() {
        return phase == Phase.RUNNING && !fast;
    }

    /** Milliseconds spent in each phase entered so far (the current one up to now). */
    public Map<String, Long> phaseMillis() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        synchronized (enteredNanos) {
            List<Phase> entered = new ArrayList<>(enteredNanos.keySet());
            for (int i = 0; i < entered.size(); i++) {
                long start = enteredNanos.get(entered.get(i));
                long end = i + 1 < entered.size() ? enteredNanos.get(entered.get(i + 1)) : System.nanoTime();
                out.put(entered.get(i).label(), TimeUnit.NANOSECONDS.toMillis(end - start));
            }
        }
        return out;
    }

    /** Starts the graceful sequence; false if a quit is already under way. */
    public boolean requestGraceful(String cause) {
        synchronized (lock) {
            if (worker != null) {
                log.info("graceful quit requested by {}: already quitting ({})", cause, phase.label());
                return false;
            }
            log.info("graceful quit requested by {}", cause);
            // Readiness fails before this returns: the load balancer must see it at once.
            enter(
                    Phase.DRAIN_REQUESTED,
                    "readiness now fails; listeners still accept for "
                            + timing.graceStartWait().toMillis() + " ms (grace_start_wait)");
            worker = new Thread(this::graceful, "graceful-quit");
            worker.start();
            return true;
        }
    }

    /** Quits now; during a graceful quit, cuts it short. */
    public void requestFast(String cause) {
        synchronized (lock) {
            if (fast) {
                return;
            }
            fast = true;
            log.info(
                    "fast quit requested by {}{}",
                    cause,
                    worker != null ? " during the graceful quit (" + phase.label() + ")" : "");
            lock.notifyAll();
            if (worker == null) {
                worker = new Thread(this::fastQuit, "fast-quit");
                worker.start();
            }
        }
    }

    private void graceful() {
        try {
            target.drainStarted();
            if (!pause(timing.graceStartWait())) {
                fastQuit();
                return;
            }
            target.closeListeners();
            enter(Phase.LISTENERS_CLOSED, "new connections are refused");
            enter(
                    Phase.DRAINING,
                    target.activeConnections() + " connections left (" + target.describeConnections() + ")"
                            + (timing.drainTimeout().isZero()
                                    ? ", no drain_timeout"
                                    : ", drain_timeout " + timing.drainTimeout().toMillis() + " ms"));
            if (!drain()) {
                fastQuit();
                return;
            }
            target.drained(Duration.ofNanos(System.nanoTime() - enteredNanos.get(Phase.DRAINING)));
            enter(Phase.FINAL_WAIT, "waiting " + timing.graceFinalWait().toMillis() + " ms (grace_final_wait)");
            if (!pause(timing.graceFinalWait())) {
                fastQuit();
                return;
            }
            stop();
        } catch (RuntimeException e) {
            log.error("graceful quit failed, stopping now", e);
            stop();
        }
    }

    /** Waits for the connections to leave; false if a fast quit cut it short. */
    private boolean drain() {
        long start = System.nanoTime();
        long lastProgress = start;
        long timeout = timing.drainTimeout().toNanos();
        while (target.activeConnections() > 0) {
            if (fast) {
                return false;
            }
            long now = System.nanoTime();
            if (timeout > 0 && now - start >= timeout) {
                return closeRemaining();
            }
            if (now - lastProgress >= TimeUnit.SECONDS.toNanos(5)) {
                lastProgress = now;
                log.info(
                        "draining: {} connections left ({}) after {} ms",
                        target.activeConnections(),
                        target.describeConnections(),
                        TimeUnit.NANOSECONDS.toMillis(now - start));
            }
            long wait = TimeUnit.MILLISECONDS.toNanos(100);
            if (timeout > 0) {
                wait = Math.min(wait, timeout - (now - start));
            }
            if (!pause(Duration.ofNanos(Math.max(1, wait)))) {
                return false;
            }
        }
        log.info("drained: no connections left after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return true;
    }

    /** drain_timeout passed: closes the rest spread evenly over drain_spread, in random order. */
    private boolean closeRemaining() {
        List<Runnable> closers = target.closersOfRemainingConnections();
        long spread = timing.drainSpread().toNanos();
        int n = closers.size();
        log.info(
                "drain_timeout ({} ms) reached: closing the {} remaining connections over {} ms (drain_spread)",
                timing.drainTimeout().toMillis(),
                n,
                timing.drainSpread().toMillis());
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = n == 1 ? 0 : spread * i / (n - 1);
            long wait = due - (System.nanoTime() - start);
            if (wait > 0 && !pause(Duration.ofNanos(wait))) {
                return false;
            }
            closers.get(i).run();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (target.activeConnections() > 0 && System.nanoTime() < deadline) {
            if (!pause(Duration.ofMillis(50))) {
                return false;
            }
        }
        log.info(
                "drain done: {} connections closed by the server over {} ms",
                n,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return true;
    }

    private void fastQuit() {
        enter(Phase.STOPPED, "fast quit: closing every connection now");
        target.closeListeners();
        target.stop();
        log.info("stopped (fast)");
        exit.run();
    }

    private void stop() {
        enter(Phase.STOPPED, "closing the HTTP port and the event loops");
        target.stop();
        log.info(
                "stopped; graceful quit took {} ms in all ({})",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enteredNanos.get(Phase.DRAIN_REQUESTED)),
                phaseMillis());
        exit.run();
    }

    private void enter(Phase next, String detail) {
        Phase previous = phase;
        long now = System.nanoTime();
        Long since = enteredNanos.get(previous);
        phase = next;
        enteredNanos.put(next, now);
        log.info(
                "phase {} (after {} {} ms): {}",
                next.label(),
                previous.label(),
                since == null ? 0 : TimeUnit.NANOSECONDS.toMillis(now - since),
                detail);
    }

    /** Waits for {@code d}; false if a fast quit was requested meanwhile. */
    private boolean pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            while (!fast) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }
}
