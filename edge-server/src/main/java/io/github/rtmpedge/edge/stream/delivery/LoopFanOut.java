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
 * for the whole group, at most one task per batch). On the group's loop a frame goes at once to
 * any member that never waits; for the others (players, pushes to an origin) the group keeps it,
 * once, until the merged-write timer ({@code mw_latency}) expires or {@value #EARLY_WRITE_BYTES}
 * bytes wait, and then hands each member everything kept, member after member, and sends. Why
 * members get their frames in one go rather than one by one as they come: a member's state (its
 * backlog, its connection) is then touched once per merged write while it is in the cache, not once
 * per frame after the other members pushed it out (profiled: the per-frame hand-off was the edge's
 * largest user-space cost with thousands of players).
 *
 * <p>Joins, leaves and the end of the source travel through the same hand-off, and what the group
 * kept goes to the members before any of them is handled, so a member sees exactly the frames fanned
 * out after it joined (after its start-up frames: metadata, sequence headers, cached GOP, sent at
 * once), and hears that the source ended only after every frame that came before.
 */
public final class LoopFanOut {

    @SuppressWarnings("ArrayRecordComponent") // a message between two loops; never compared
    private record Join(Subscriber subscriber, MediaFrame[] start) {}

    private record Leave(Subscriber subscriber) {}

    private record SourceEnded(boolean notifyPeers) {}

    private record StreamFailed(String reason) {}

    /** What waits for the merged write may go out before its timer past this many bytes (a keyframe burst). */
    static final int EARLY_WRITE_BYTES = 128 * 1024;

    private final EventLoop loop;
    private final LongSupplier mergeNanos;
    private final LoopHandoff<Object> handoff;
    private final Runnable timerTask = this::timerExpired;
    private final Runnable handOverTask = this::handOverAll;
    /** Members counted on the stream's loop (joins minus leaves handed over so far). */
    private int size;
    /** On the stream's loop: bytes offered quietly since the group's loop was last woken. */
    private long quietBytes;

    // Confined to the group's loop.
    /** Members whose writes wait for the merged write (players). */
    private final List<Subscriber> members = new ArrayList<>();
    /** Members that never wait for the merged write: usually none. */
    private final List<Subscriber> immediate = new ArrayList<>(0);
    /** Loop views of the frames the merging members have not been given yet, one reference each. */
    private final ArrayList<MediaFrame> kept = new ArrayList<>();

    private long keptBytes;

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

    /**
     * On the stream's loop: {@code frame} for every member (retained here for the group). While the
     * group waits for its merged-write timer the frame is queued without waking its loop, up to
     * {@value #EARLY_WRITE_BYTES} bytes; past that the loop is woken so that it may write early.
     */
    public void fanOut(MediaFrame frame) {
        frame.retain();
        int bytes = frame.wireLength();
        if (quietBytes + bytes < EARLY_WRITE_BYTES && handoff.offerQuietly(frame)) {
            quietBytes += bytes;
            return;
        }
        quietBytes = 0;
        handoff.offer(frame);
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
            if (members.isEmpty() && immediate.isEmpty()) {
                frame.release();
                return;
            }
            MediaFrame view = frame.loopView(); // takes over the group's reference
            for (int i = 0, n = immediate.size(); i < n; i++) {
                immediate.get(i).accept(view);
            }
            if (members.isEmpty()) {
                view.release();
            } else {
                kept.add(view);
                keptBytes += view.wireLength();
            }
            pending = true;
            return;
        }
        handOver(); // whatever comes next applies after the frames before it
        if (item instanceof Join join) {
            join(join);
        } else if (item instanceof Leave leave) {
            if (!members.remove(leave.subscriber())) {
                immediate.remove(leave.subscriber());
            }
        } else if (item instanceof SourceEnded ended) {
            for (Subscriber s : everyone()) {
                s.sourceEnded(ended.notifyPeers());
            }
        } else if (item instanceof StreamFailed failed) {
            for (Subscriber s : everyone()) {
                s.streamFailed(failed.reason());
            }
        }
    }

    private List<Subscriber> everyone() {
        List<Subscriber> all = new ArrayList<>(immediate.size() + members.size());
        all.addAll(immediate);
        all.addAll(members);
        return all;
    }

    private void join(Join join) {
        Subscriber s = join.subscriber();
        if (s.mergesWrites()) {
            members.add(s);
        } else {
            immediate.add(s);
            handoff.endQuiet(); // it takes every frame as it comes: frames wake the loop again
        }
        s.joined(handOverTask);
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

    /**
     * Gives the merging members every kept frame as one {@link FrameBatch}, member by member (each
     * retains what it keeps), and releases the group's references. The members send on the next
     * {@link #sendAll}.
     */
    private void handOver() {
        handOver(false);
    }

    /**
     * As {@link #handOver()}; {@code send}: each member also sends right after taking the batch, in
     * the same pass, while its state is still in the cache (a second pass over thousands of members
     * finds it evicted). Safe because a member's send never hands over in turn: a drain's
     * {@link Delivery#sendAllDue()} runs as a task of its own.
     */
    private void handOver(boolean send) {
        int n = kept.size();
        if (n == 0) {
            if (send) {
                for (int m = 0, size = members.size(); m < size; m++) {
                    members.get(m).send();
                }
            }
            return;
        }
        FrameBatch batch = new FrameBatch(kept, keptBytes);
        try {
            for (int m = 0, size = members.size(); m < size; m++) {
                Subscriber s = members.get(m);
                s.acceptAll(batch);
                if (send) {
                    s.send();
                }
            }
        } finally {
            batch.close();
            for (int i = 0; i < n; i++) {
                kept.get(i).release();
            }
            kept.clear();
            keptBytes = 0;
        }
    }

    private void afterBatch() {
        if (!pending) {
            return;
        }
        for (int i = 0, n = immediate.size(); i < n; i++) {
            immediate.get(i).send();
        }
        long merge = mergeNanos.getAsLong();
        if (merge <= 0 || keptBytes >= EARLY_WRITE_BYTES) {
            pending = false;
            sendAll(); // an armed timer then finds nothing, or only what came since
            return;
        }
        if (members.isEmpty()) {
            pending = false;
        } else if (!timerArmed) {
            timerArmed = true;
            loop.schedule(timerTask, merge, TimeUnit.NANOSECONDS);
            if (immediate.isEmpty()) {
                handoff.expectDrain(); // frames may wait in the hand-off until the timer
            }
        }
    }

    private void timerExpired() {
        timerArmed = false;
        handoff.drain(); // the frames queued quietly since the timer was armed
        pending = false;
        sendAll();
    }

    /** A member is drained: what waits in the hand-off and what the group keeps goes to the members first. */
    private void handOverAll() {
        handoff.drain();
        handOver();
    }

    private void sendAll() {
        handOver(true);
    }
}
