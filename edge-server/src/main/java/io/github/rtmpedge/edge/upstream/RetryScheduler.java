package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * When and to which origin an {@link UpstreamConnection} tries again after a failure: the next
 * origin after the backoff, or, while every origin is unreachable, the first whose prober hears
 * back. Kept apart so the connection only runs attempts and counts their outcomes. Confined to the
 * stream's event loop.
 */
final class RetryScheduler {

    private final LiveStream stream;
    private final UpstreamContext context;
    private final OriginCursor cursor;
    private final Logger log;
    private final String label;
    private final Runnable attempt;
    private final BooleanSupplier stopped;
    private ScheduledFuture<?> timer;
    /** While every origin is unreachable: the wait whose first wake-up is the one that counts. */
    private Object awaiting;

    RetryScheduler(
            LiveStream stream,
            UpstreamContext context,
            OriginCursor cursor,
            Logger log,
            String label,
            Runnable attempt,
            BooleanSupplier stopped) {
        this.stream = stream;
        this.context = context;
        this.cursor = cursor;
        this.log = log;
        this.label = label;
        this.attempt = attempt;
        this.stopped = stopped;
    }

    /**
     * The next attempt after a failure: the origin after {@code after}, at once or after the backoff;
     * logged as {@code what} failed with the next step.
     */
    void next(OriginAddress after, String what) {
        cursor.after(after, step -> nextStep(step, what));
    }

    /** Forgets a pending retry and a wait for any origin (the upstream stops for good). */
    void stop() {
        awaiting = null;
        cancelTimer();
    }

    /** Cancels a pending retry; a wait for any origin stays, as a new attempt ends it anyway. */
    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void nextStep(OriginCursor.Step step, String what) {
        if (stopped.getAsBoolean()) {
            return;
        }
        if (step.noneReachable()) {
            log.warn(
                    "{} {}: {}; no origin answers, waiting for the first to answer its probe ({} consecutive"
                            + " failures)",
                    label,
                    stream.key(),
                    what,
                    cursor.failures());
            awaitAnyOrigin();
            return;
        }
        log.warn(
                "{} {}: {}; retrying with {} in {} ms ({} consecutive failures)",
                label,
                stream.key(),
                what,
                step.upcoming(),
                step.delay().toMillis(),
                cursor.failures());
        timer = stream.loop()
                .schedule(
                        () -> {
                            timer = null;
                            attempt.run();
                        },
                        step.delay().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Every origin is unreachable: the first one whose prober hears back is tried, with a fresh backoff. */
    private void awaitAnyOrigin() {
        Object wait = new Object();
        awaiting = wait;
        cursor.forEachFromNext((index, o) -> context.health().whenReachable(o, stream.loop(), () -> {
            if (awaiting == wait) {
                awaiting = null;
                cursor.pointAt(index);
                attempt.run();
            }
        }));
    }
}
