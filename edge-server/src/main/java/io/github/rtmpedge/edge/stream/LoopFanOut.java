package io.github.rtmpedge.edge.stream;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The subscribers of one stream that live on one event loop, and the hand-off to that loop.
 *
 * <p>The stream's loop puts each frame once into this group's queue (one reference for the whole
 * group) and schedules at most one task per batch; on the group's loop that task hands every frame
 * to every member, then either sends at once or arms one merged-write timer for the whole group
 * ({@code mw_latency}) whose expiry sends for every member. Joins and leaves travel through the same
 * queue, so a member sees exactly the frames fanned out after it joined, after its start-up frames
 * (metadata, sequence headers, cached GOP), which are sent at once. When the stream's loop is the
 * group's loop, nothing is queued: the frame is handed over directly.
 */
final class LoopFanOut implements Runnable {

    private record Join(LoopSubscriber subscriber, MediaFrame[] start) {
    }

    private record Leave(LoopSubscriber subscriber) {
    }

    private final EventLoop loop;
    private final LongSupplier mergeNanos;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable timerTask = this::timerExpired;
    /** Members counted on the stream's loop (joins minus leaves queued so far). */
    private int size;

    // Confined to the group's loop.
    private final List<LoopSubscriber> members = new ArrayList<>();
    /** Members that never wait for the merged write (an upstream push): usually none. */
    private int immediateMembers;
    private boolean timerArmed;
    private boolean pending;

    LoopFanOut(EventLoop loop, LongSupplier mergeNanos) {
        this.loop = loop;
        this.mergeNanos = mergeNanos;
    }

    EventLoop loop() {
        return loop;
    }

    /** Members as the stream's loop sees them. */
    int size() {
        return size;
    }

    /** On the stream's loop: {@code s} joins and gets {@code start} first (each retained here, released after). */
    void join(LoopSubscriber s, MediaFrame[] start) {
        size++;
        for (MediaFrame f : start) {
            f.retain();
        }
        enqueue(new Join(s, start));
    }

    /** On the stream's loop: {@code s} gets nothing fanned out after this call. */
    void leave(LoopSubscriber s) {
        size--;
        enqueue(new Leave(s));
    }

    /** On the stream's loop: {@code frame} for every member (retained here for the group). */
    void fanOut(MediaFrame frame) {
        enqueue(frame.retain());
    }

    private void enqueue(Object item) {
        if (loop.inEventLoop()) {
            handle(item);
            afterBatch();
            return;
        }
        queue.offer(item);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** The batch task, on the group's loop. */
    @Override
    public void run() {
        scheduled.set(false);
        for (Object item; (item = queue.poll()) != null; ) {
            handle(item);
        }
        afterBatch();
    }

    private void handle(Object item) {
        if (item instanceof MediaFrame frame) {
            try {
                for (int i = 0, n = members.size(); i < n; i++) {
                    members.get(i).accept(frame);
                }
                pending |= !members.isEmpty();
            } finally {
                frame.release();
            }
        } else if (item instanceof Join join) {
            members.add(join.subscriber());
            if (!join.subscriber().mergesWrites()) {
                immediateMembers++;
            }
            try {
                for (MediaFrame f : join.start()) {
                    join.subscriber().accept(f);
                }
            } finally {
                for (MediaFrame f : join.start()) {
                    f.release();
                }
            }
            join.subscriber().send(); // a joining player starts at once
        } else if (item instanceof Leave leave) {
            if (members.remove(leave.subscriber()) && !leave.subscriber().mergesWrites()) {
                immediateMembers--;
            }
        }
    }

    private void afterBatch() {
        if (!pending) {
            return;
        }
        long merge = mergeNanos.getAsLong();
        if (merge <= 0) {
            pending = false;
            sendAll();
            return;
        }
        if (immediateMembers > 0) {
            for (int i = 0, n = members.size(); i < n; i++) {
                if (!members.get(i).mergesWrites()) {
                    members.get(i).send();
                }
            }
        }
        if (members.size() > immediateMembers) {
            if (!timerArmed) {
                timerArmed = true;
                loop.schedule(timerTask, merge, TimeUnit.NANOSECONDS);
            }
        } else {
            pending = false;
        }
    }

    private void timerExpired() {
        timerArmed = false;
        pending = false;
        sendAll();
    }

    private void sendAll() {
        for (int i = 0, n = members.size(); i < n; i++) {
            members.get(i).send();
        }
    }
}
