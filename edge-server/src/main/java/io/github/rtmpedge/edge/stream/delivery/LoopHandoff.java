package io.github.rtmpedge.edge.stream.delivery;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from other threads to one event loop in batches: a lock-free queue and a flag, so
 * that a burst of items costs one task on the target loop, not one per item. Items offered on the
 * target loop itself with nothing queued are handled at once, without a task. Items are handled
 * in the order they were offered by any one thread.
 *
 * @param <T> what is handed over; ownership (a reference count) passes with the item
 */
public final class LoopHandoff<T> implements Runnable {

    private final EventExecutor loop;
    private final Consumer<T> handler;
    private final Runnable afterBatch;
    private final Queue<T> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /**
     * Set on the loop while it will {@link #drain()} by itself soon (a timer is armed): items offered
     * {@link #offerQuietly quietly} meanwhile need not wake it.
     */
    private volatile boolean quiet;

    /**
     * @param loop        where {@code handler} and {@code afterBatch} run
     * @param handler     one item, on {@code loop}
     * @param afterBatch  once after every batch (and after an item handled inline), on {@code loop}
     * @param chunkSize   the queue grows in chunks of this many slots (small for many idle handoffs)
     */
    public LoopHandoff(EventExecutor loop, Consumer<T> handler, Runnable afterBatch, int chunkSize) {
        this.loop = loop;
        this.handler = handler;
        this.afterBatch = afterBatch;
        this.queue = PlatformDependent.newMpscQueue(chunkSize, 1 << 30);
    }

    public EventExecutor loop() {
        return loop;
    }

    /** From any thread: {@code item} will be handled on the loop, after everything offered before it. */
    public void offer(T item) {
        if (loop.inEventLoop() && queue.isEmpty()) {
            handler.accept(item);
            afterBatch.run();
            return;
        }
        queue.offer(item);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /**
     * From another thread: queues {@code item} without waking the loop, when the loop is in a quiet
     * period (it will {@link #drain()} soon by itself), and returns true; otherwise does nothing and
     * returns false (then {@link #offer} it). Why: an event loop woken for every frame of a stream
     * pays a system call on each side (an eventfd write, an epoll wake-up), while its players only
     * need the frames at the merged write.
     */
    public boolean offerQuietly(T item) {
        if (!quiet || loop.inEventLoop()) {
            return false;
        }
        queue.offer(item);
        // The loop may have ended its quiet period and drained just before the offer: then it must
        // be woken as usual. (The volatile read after the queue's CAS pairs with drain()'s write
        // before its poll: one of the two sides sees the other.)
        if (!quiet && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
        return true;
    }

    /** On the loop: it will call {@link #drain()} soon (a timer is armed), so quiet offers need not wake it. */
    public void expectDrain() {
        quiet = true;
    }

    /** On the loop: quiet offers wake the loop again (what they queued so far is handled with the next batch). */
    public void endQuiet() {
        quiet = false;
    }

    /** On the loop: ends a quiet period and handles every item queued so far (without the after-batch step). */
    public void drain() {
        quiet = false;
        handleQueued();
    }

    /** The batch task, on the loop. */
    @Override
    public void run() {
        scheduled.set(false);
        handleQueued();
        afterBatch.run();
    }

    private void handleQueued() {
        for (T item; (item = queue.poll()) != null; ) {
            handler.accept(item);
        }
    }
}
