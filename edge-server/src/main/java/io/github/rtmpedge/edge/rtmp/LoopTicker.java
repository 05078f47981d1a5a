package io.github.rtmpedge.edge.rtmp;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One once-a-second timer per event loop for the per-connection checks that run every second,
 * instead of a scheduled task per connection: Netty keeps scheduled tasks in a priority queue, and
 * thousands of players each rescheduling once a second spent 2-3 % of the edge's CPU on its upkeep
 * (profiled at 2000 players). A check added to a loop first runs within the next second. Used only on
 * the loop it belongs to; the map only finds a loop's ticker and loses it when its last check goes.
 */
final class LoopTicker {

    private static final Map<EventLoop, LoopTicker> TICKERS = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final Set<Runnable> checks = new LinkedHashSet<>();
    private final ScheduledFuture<?> timer;

    private LoopTicker(EventLoop loop) {
        this.loop = loop;
        this.timer = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Runs {@code check} once a second on {@code loop} until {@link #remove}; call on that loop. */
    static void add(EventLoop loop, Runnable check) {
        TICKERS.computeIfAbsent(loop, LoopTicker::new).checks.add(check);
    }

    /** Stops running {@code check}; call on {@code loop}. */
    static void remove(EventLoop loop, Runnable check) {
        LoopTicker ticker = TICKERS.get(loop);
        if (ticker != null && ticker.checks.remove(check) && ticker.checks.isEmpty()) {
            ticker.timer.cancel(false);
            TICKERS.remove(loop, ticker);
        }
    }

    /** Tickers alive (for tests). */
    static int active() {
        return TICKERS.size();
    }

    private void tick() {
        // A check may close its connection, which removes it (and may end this ticker): run a copy.
        for (Runnable check : new ArrayList<>(checks)) {
            check.run();
        }
    }

    @Override
    public String toString() {
        return "LoopTicker[" + loop + ", " + checks.size() + " checks]";
    }
}
