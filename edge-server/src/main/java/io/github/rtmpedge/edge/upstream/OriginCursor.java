package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where one upstream is in its order of the origins: the origin to try, how many consecutive
 * failures it has met, and what comes after a failure (the next origin at once during the first pass,
 * later after the backoff; the names resolved again each time). Confined to the stream's loop.
 */
final class OriginCursor {

    /** After a failure: the next origin and when; or none, when every origin is unreachable. */
    record Step(OriginAddress upcoming, Duration delay, boolean noneReachable) {}

    private final UpstreamContext context;
    private final StreamKey key;
    private final EventLoop loop;
    /** The origins' addresses, names resolved when the upstream started and again after each failure. */
    private List<OriginAddress> order;

    private int next;
    private int failures;

    OriginCursor(UpstreamContext context, StreamKey key, EventLoop loop) {
        this.context = context;
        this.key = key;
        this.loop = loop;
    }

    /**
     * Takes this upstream's order of the origins (a round-robin pool's next turn), names looked up
     * off the loop; {@code then} runs on the loop once it is known.
     */
    void start(Runnable then) {
        context.pool().order(key, OriginResolver.LOOKUPS, loop, fresh -> {
            order = fresh;
            then.run();
        });
    }

    /** The origin the next attempt goes to. */
    OriginAddress upcoming() {
        return order.get(next % order.size());
    }

    int failures() {
        return failures;
    }

    /** An attempt succeeded: the backoff starts again. */
    void succeeded() {
        failures = 0;
    }

    /** An attempt to {@code origin} failed: counted, and the origin kept behind the others in new orders until its backoff has passed. */
    void failed(OriginAddress origin) {
        failures++;
        Duration backoff = backoff();
        context.pool().failed(origin, TimeUnit.MILLISECONDS.toNanos(Math.max(backoff.toMillis(), 1000)));
    }

    /**
     * The step after a failure, handed to {@code then} on the loop: from the origin after {@code
     * after}, names resolved again off the loop (the JDK's DNS cache decides how fresh; from the start
     * when {@code after} is no longer among them), origins
     * known to be unreachable skipped. The first pass through the other origins goes at once (the
     * stream may simply be there, or the failed origin hung); once every origin has failed, the
     * backoff spaces the rounds.
     */
    void after(OriginAddress after, Consumer<Step> then) {
        context.pool().reorder(key, OriginResolver.LOOKUPS, loop, fresh -> then.accept(step(after, fresh)));
    }

    private Step step(OriginAddress after, List<OriginAddress> fresh) {
        next = fresh.indexOf(after) + 1;
        order = fresh;
        int skipped = 0;
        while (skipped < order.size() && context.health().isUnreachable(upcoming())) {
            next++;
            skipped++;
        }
        OriginAddress upcoming = upcoming();
        Duration delay = beyondFirstPass() <= 0 && !upcoming.equals(after) ? Duration.ZERO : backoff();
        return new Step(upcoming, delay, skipped == order.size());
    }

    /**
     * The origins after {@code current} in the order that may be asked alongside it: not known to be
     * unreachable, at most {@code max}.
     */
    List<OriginAddress> others(OriginAddress current, int max) {
        List<OriginAddress> others = new ArrayList<>();
        int from = order.indexOf(current);
        for (int i = 1; i < order.size() && others.size() < max; i++) {
            OriginAddress o = order.get(Math.floorMod(from + i, order.size()));
            if (!o.equals(current) && !others.contains(o) && !context.health().isUnreachable(o)) {
                others.add(o);
            }
        }
        return others;
    }

    /** Every origin in turn from the next one, with the index that {@link #pointAt} takes. */
    void forEachFromNext(IndexedOrigin each) {
        for (int i = 0; i < order.size(); i++) {
            int index = next + i;
            each.accept(index, order.get(index % order.size()));
        }
    }

    /** The next attempt goes to the origin at {@code index} (from {@link #forEachFromNext}), with a fresh backoff. */
    void pointAt(int index) {
        next = index;
        failures = 0;
    }

    interface IndexedOrigin {
        void accept(int index, OriginAddress origin);
    }

    private int beyondFirstPass() {
        return failures - (order.size() - 1);
    }

    private Duration backoff() {
        return context.backoff().delay(Math.max(1, beyondFirstPass()));
    }
}
