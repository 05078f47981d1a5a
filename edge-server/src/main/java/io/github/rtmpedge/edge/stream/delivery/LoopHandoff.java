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

    /** The batch task, on the loop. */
    @Override
    public void run() {
        scheduled.set(false);
        for (T item; (item = queue.poll()) != null; ) {
            handler.accept(item);
        }
        afterBatch.run();
    }
}
