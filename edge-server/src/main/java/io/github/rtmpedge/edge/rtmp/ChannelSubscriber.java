package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.SubscriberMeters;
import io.github.rtmpedge.edge.stream.MediaFrame;
import io.github.rtmpedge.edge.stream.Subscriber;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a stream's shared frames to one connection (a player, or an upstream push) with a bounded
 * backlog.
 *
 * <p>The stream's event loop hands frames over through a lock-free queue and schedules one drain
 * task per batch on the connection's event loop, which writes them all and flushes once. Frames wait
 * in a local backlog while the channel is not writable. When the backlog spans more than
 * {@code queueLength} of media time or {@code queueMaxBytes} bytes, it is cut back to the newest
 * keyframe, or emptied with everything dropped until the next keyframe; sequence headers and
 * metadata are never dropped. Drops are counted. A connection that stays unwritable for longer than
 * {@code queueLength} is closed.
 */
public final class ChannelSubscriber implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(ChannelSubscriber.class);

    /** Called on the connection's event loop. */
    public interface Listener {
        /** The source went away; {@code notify}: tell the peer. */
        void sourceEnded(boolean notify);

        /** The peer cannot keep up; the subscriber has been closed. */
        void tooSlow(String reason);

        /** The stream cannot be served. */
        void streamFailed(String reason);
    }

    private final Channel channel;
    private final EventLoop loop;
    private final int messageStreamId;
    private final long queueLengthMillis;
    private final long queueMaxBytes;
    private final String description;
    private final Listener listener;
    private final LongSupplier nanoClock;
    private final SubscriberMeters meters;
    private final Queue<MediaFrame> handoff = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile boolean closed;

    // Confined to the connection's event loop.
    private final ArrayDeque<MediaFrame> backlog = new ArrayDeque<>();
    private long backlogBytes;
    private boolean awaitingKeyframe;
    private long stalledSinceNanos = -1;
    private long framesOffered;
    private long framesDiscarded;
    private long framesSent;
    private long bytesSent;
    private long framesDropped;
    private long bytesDropped;
    private long overflows;

    public ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                             String description, Listener listener) {
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, SubscriberMeters.NONE);
    }

    /** With the counters it moves (sent, dropped, disconnected for being too slow). */
    public ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                             String description, Listener listener, SubscriberMeters meters) {
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, System::nanoTime, meters);
    }

    /** With the clock the stall timeout is measured on ({@link System#nanoTime()} outside tests). */
    ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                      String description, Listener listener, LongSupplier nanoClock) {
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, nanoClock,
                SubscriberMeters.NONE);
    }

    private ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                              String description, Listener listener, LongSupplier nanoClock, SubscriberMeters meters) {
        this.meters = meters;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.messageStreamId = messageStreamId;
        this.queueLengthMillis = queueLengthMillis;
        this.queueMaxBytes = queueMaxBytes;
        this.description = description;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void deliver(MediaFrame frame) {
        if (closed) {
            return;
        }
        handoff.offer(frame.retain());
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    @Override
    public void sourceEnded(boolean notify) {
        loop.execute(() -> {
            if (!closed) {
                listener.sourceEnded(notify);
            }
        });
    }

    @Override
    public void streamFailed(String reason) {
        loop.execute(() -> {
            if (!closed) {
                listener.streamFailed(reason);
            }
        });
    }

    /** The channel became writable again: send what waits. Call on the connection's event loop. */
    public void writabilityChanged() {
        if (!closed && channel.isWritable()) {
            writeBacklog();
        }
    }

    /**
     * Stops delivery. Call on the connection's event loop, after which the caller must unsubscribe
     * from the stream and then call {@link #releaseAll()} on this loop (frames handed over before the
     * unsubscribe are released there).
     */
    public void close() {
        closed = true;
    }

    /** Releases every frame still held. Call on the connection's event loop after unsubscribing. */
    public void releaseAll() {
        closed = true;
        for (MediaFrame f; (f = handoff.poll()) != null; ) {
            framesOffered++;
            framesDiscarded++;
            f.release();
        }
        for (MediaFrame f; (f = backlog.poll()) != null; ) {
            framesDiscarded++;
            f.release();
        }
        backlogBytes = 0;
    }

    /**
     * Ends delivery without losing what was offered: everything handed over so far is admitted and
     * written (the backlog is bounded by the budget, so writing it past the water mark is bounded
     * too), then delivery stops. Call on the connection's event loop after unsubscribing, so that
     * nothing more arrives; the caller writes its end-of-stream status after this.
     */
    public void finish() {
        drain();
        while (!closed && !backlog.isEmpty()) {
            MediaFrame f = backlog.poll();
            backlogBytes -= f.wireLength();
            send(f);
        }
        closed = true;
        channel.flush();
    }

    /**
     * Frames the stream handed to this subscriber and that reached its connection's loop. Once
     * delivery has ended, {@code offered = sent + dropped + discarded}.
     */
    public long framesOffered() {
        return framesOffered;
    }

    /** Frames released unsent because delivery was cut off (connection closed, play stopped abruptly). */
    public long framesDiscarded() {
        return framesDiscarded;
    }

    public long framesSent() {
        return framesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long framesDropped() {
        return framesDropped;
    }

    public long bytesDropped() {
        return bytesDropped;
    }

    /** Bytes waiting in the backlog (not yet handed to the channel). */
    public long backlogBytes() {
        return backlogBytes;
    }

    private void drain() {
        drainScheduled.set(false);
        for (MediaFrame f; (f = handoff.poll()) != null; ) {
            admit(f);
        }
        if (!closed) {
            writeBacklog();
        }
    }

    private void admit(MediaFrame f) {
        framesOffered++;
        if (closed) {
            framesDiscarded++;
            f.release();
            return;
        }
        boolean videoKey = f.kind() == MediaFrame.Kind.VIDEO && f.keyframe();
        if (awaitingKeyframe && !f.essential() && !videoKey) {
            drop(f);
            return;
        }
        if (videoKey) {
            awaitingKeyframe = false;
        }
        backlog.add(f);
        backlogBytes += f.wireLength();
        if (overBudget()) {
            shed();
        }
    }

    private boolean overBudget() {
        if (backlogBytes > queueMaxBytes) {
            return true;
        }
        // The span of what can be dropped: metadata and sequence headers keep the timestamp of when
        // they were cached (a late joiner gets them stamped at the stream's start) and never go.
        MediaFrame last = backlog.peekLast();
        for (MediaFrame f : backlog) {
            if (!f.essential()) {
                return f != last && last.timestamp() - f.timestamp() > queueLengthMillis;
            }
        }
        return false;
    }

    /** Cuts the backlog back to its newest keyframe, or empties it and waits for the next one. */
    private void shed() {
        overflows++;
        long droppedBefore = framesDropped;
        MediaFrame newestKey = null;
        for (Iterator<MediaFrame> it = backlog.descendingIterator(); it.hasNext(); ) {
            MediaFrame f = it.next();
            if (f.kind() == MediaFrame.Kind.VIDEO && f.keyframe()) {
                newestKey = f;
                break;
            }
        }
        boolean keepFromKey = newestKey != null && newestKey != backlog.peekFirst();
        boolean reached = false;
        for (Iterator<MediaFrame> it = backlog.iterator(); it.hasNext(); ) {
            MediaFrame f = it.next();
            if (f == newestKey && keepFromKey) {
                reached = true;
            }
            if (!reached && !f.essential()) {
                it.remove();
                backlogBytes -= f.wireLength();
                drop(f);
            }
        }
        if (!keepFromKey || overBudget()) {
            for (Iterator<MediaFrame> it = backlog.iterator(); it.hasNext(); ) {
                MediaFrame f = it.next();
                if (!f.essential()) {
                    it.remove();
                    backlogBytes -= f.wireLength();
                    drop(f);
                }
            }
            awaitingKeyframe = true;
        }
        if (overflows == 1 || overflows % 100 == 0) {
            log.warn("{} fell behind (backlog over {} ms or {} bytes): dropped {} frames up to a keyframe"
                            + " ({} overflows, {} frames / {} bytes dropped in all)",
                    description, queueLengthMillis, queueMaxBytes, framesDropped - droppedBefore, overflows,
                    framesDropped, bytesDropped);
        }
    }

    private void drop(MediaFrame f) {
        framesDropped++;
        bytesDropped += f.wireLength();
        meters.dropped().increment();
        f.release();
    }

    private void send(MediaFrame f) {
        framesSent++;
        bytesSent += f.wireLength();
        meters.sent().increment();
        channel.write(f.chunksFor(messageStreamId, channel.alloc()), channel.voidPromise());
        f.release();
    }

    private void writeBacklog() {
        boolean wrote = false;
        while (!backlog.isEmpty() && channel.isWritable()) {
            MediaFrame f = backlog.poll();
            backlogBytes -= f.wireLength();
            send(f);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        // Stalled means the channel stays unwritable; an empty backlog (just shed) does not end a stall.
        if (channel.isWritable()) {
            stalledSinceNanos = -1;
        } else if (stalledSinceNanos < 0) {
            stalledSinceNanos = nanoClock.getAsLong();
        } else if (nanoClock.getAsLong() - stalledSinceNanos > TimeUnit.MILLISECONDS.toNanos(queueLengthMillis)) {
            String reason = "no progress for " + queueLengthMillis + " ms; " + framesDropped + " frames ("
                    + bytesDropped + " bytes) dropped";
            closed = true;
            meters.tooSlow().increment();
            listener.tooSlow(reason);
        }
    }
}
