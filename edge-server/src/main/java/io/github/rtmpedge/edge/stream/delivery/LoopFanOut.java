package io.github.rtmpedge.edge.stream.delivery;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The subscribers of one stream that live on one event loop, and the hand-off to that loop.
 *
 * <p>The stream's loop puts each frame once into this group's {@link LoopHandoff} (one reference
 * for the whole group, at most one task per batch); on the group's loop every frame goes to every
 * member, then the group either sends at once or arms one merged-write timer for all its members
 * ({@code mw_latency}) whose expiry sends for every member. Joins, leaves and the end of the
 * source travel through the same hand-off, so a member sees exactly the frames fanned out after it
 * joined (after its start-up frames: metadata, sequence headers, cached GOP, sent at once), and
 * hears that the source ended only after every frame that came before.
 */
public final class LoopFanOut {

    @SuppressWarnings("ArrayRecordComponent") // a message between two loops; never compared
    private record Join(Subscriber subscriber, MediaFrame[] start) {}

    private record Leave(Subscriber subscriber) {}

    private record SourceEnded(boolean notifyPeers) {}

    private record StreamFailed(String reason) {}

    private final EventLoop loop;
    private final LongSupplier mergeNanos;
    private final LoopHandoff<Object> handoff;
    private final Runnable timerTask = this::timerExpired;
    /** Members counted on the stream's loop (joins minus leaves handed over so far). */
    private int size;

    // Confined to the group's loop.
    private final List<Subscriber> members = new ArrayList<>();
    /** Members that never wait for the merged write (an upstream push): usually none. */
    private int immediateMembers;

    private boolean timerArmed;
    private boolean pending;

    /** {@code mergeNanos}: the merged-write latency now ({@code mw_latency}; 0 = send every batch at once). */
    public LoopFanOut(EventLoop loop, LongSupplier mergeNanos) {
        this.loop = loop;
        this.mergeNanos = mergeNanos;
        this.handoff = new LoopHandoff<>(loop, this::handle, this::afterBatch, 1024);
    }

    public EventLoop loop() {
        return loop;
    }

    /** Members as the stream's loop sees them. */
    public int size() {
        return size;
    }

    /** On the stream's loop: {@code s} joins and gets {@code start} first (each retained here, released after). */
    public void join(Subscriber s, MediaFrame[] start) {
        size++;
        for (MediaFrame f : start) {
            f.retain();
        }
        handoff.offer(new Join(s, start));
    }

    /** On the stream's loop: {@code s} gets nothing fanned out after this call. */
    public void leave(Subscriber s) {
        size--;
        handoff.offer(new Leave(s));
    }

    /** On the stream's loop: {@code frame} for every member (retained here for the group). */
    public void fanOut(MediaFrame frame) {
        handoff.offer(frame.retain());
    }

    /** On the stream's loop: every member hears that the source went away, after the frames before. */
    public void sourceEnded(boolean notify) {
        handoff.offer(new SourceEnded(notify));
    }

    /** On the stream's loop: every member hears that the stream cannot be served. */
    public void streamFailed(String reason) {
        handoff.offer(new StreamFailed(reason));
    }

    private void handle(Object item) {
        if (item instanceof MediaFrame frame) {
            if (members.isEmpty()) {
                frame.release();
                return;
            }
            MediaFrame view = frame.loopView(); // takes over the group's reference
            try {
                for (int i = 0, n = members.size(); i < n; i++) {
                    members.get(i).accept(view);
                }
                pending = true;
            } finally {
                view.release();
            }
        } else if (item instanceof Join join) {
            join(join);
        } else if (item instanceof Leave leave) {
            if (members.remove(leave.subscriber()) && !leave.subscriber().mergesWrites()) {
                immediateMembers--;
            }
        } else if (item instanceof SourceEnded ended) {
            for (Subscriber s : List.copyOf(members)) {
                s.sourceEnded(ended.notifyPeers());
            }
        } else if (item instanceof StreamFailed failed) {
            for (Subscriber s : List.copyOf(members)) {
                s.streamFailed(failed.reason());
            }
        }
    }

    private void join(Join join) {
        Subscriber s = join.subscriber();
        members.add(s);
        if (!s.mergesWrites()) {
            immediateMembers++;
        }
        try {
            for (MediaFrame f : join.start()) {
                s.accept(f);
            }
        } finally {
            for (MediaFrame f : join.start()) {
                f.release();
            }
        }
        s.send(); // a joining player starts at once
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
