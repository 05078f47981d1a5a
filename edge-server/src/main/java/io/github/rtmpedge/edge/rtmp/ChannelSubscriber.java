package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.SubscriberMeters;
import io.github.rtmpedge.edge.stream.MediaFrame;
import io.github.rtmpedge.edge.stream.LoopSubscriber;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
 * <p>A stream hands frames over on the connection's event loop, batched per loop ({@link #accept},
 * {@link #send}); {@link #deliver} is the hand-over from any other thread through a lock-free
 * queue. Frames are written in a batch with one flush, bypassing the pipeline's codecs (they are
 * chunked already) and counted once per batch. Frames wait
 * in a local backlog while the channel is not writable. When the backlog spans more than
 * {@code queueLength} of media time or {@code queueMaxBytes} bytes, it is cut back to the newest
 * keyframe, or emptied with everything dropped until the next keyframe; sequence headers and
 * metadata are never dropped. Drops are counted. A connection that stays unwritable for longer than
 * {@code queueLength} is closed.
 */
public final class ChannelSubscriber implements LoopSubscriber {

    private static final Logger log = LoggerFactory.getLogger(ChannelSubscriber.class);
    private static final long EARLY_WRITE_BYTES = 128 * 1024;

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
    private final boolean mergesWrites;
    /** Backlog size at which a merged write goes out before its timer (a burst of large frames). */
    private final long earlyWriteBytes;
    /** Where chunked frames are written: past every codec, at the byte-counting connection handler. */
    /** Null without one (an upstream push's pipeline): then through the whole pipeline. */
    private final ChannelHandlerContext out;
    /** {@link #deliver} from another thread; streams use {@link #accept}, so it stays small (16-slot chunks). */
    private final Queue<MediaFrame> handoff = PlatformDependent.newMpscQueue(16, 1 << 30);
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
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, System::nanoTime, meters,
                true);
    }

    /** {@code mergesWrites}: writes may wait for the stream's merged-write timer (players; not an upstream push). */
    public ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                             String description, Listener listener, SubscriberMeters meters, boolean mergesWrites) {
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, System::nanoTime, meters,
                mergesWrites);
    }

    /** With the clock the stall timeout is measured on ({@link System#nanoTime()} outside tests). */
    ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                      String description, Listener listener, LongSupplier nanoClock) {
        this(channel, messageStreamId, queueLengthMillis, queueMaxBytes, description, listener, nanoClock,
                SubscriberMeters.NONE, true);
    }

    private ChannelSubscriber(Channel channel, int messageStreamId, long queueLengthMillis, long queueMaxBytes,
                              String description, Listener listener, LongSupplier nanoClock, SubscriberMeters meters,
                              boolean mergesWrites) {
        this.meters = meters;
        this.mergesWrites = mergesWrites;
        this.out = channel.pipeline().context(ConnectionHandler.class);
        this.earlyWriteBytes = Math.min(EARLY_WRITE_BYTES, queueMaxBytes / 2);
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
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void accept(MediaFrame frame) {
        admit(frame.retain()); // counted as offered (and discarded) even when closed
    }

    @Override
    public void send() {
        if (!closed) {
            writeBacklog();
        }
    }

    @Override
    public boolean mergesWrites() {
        return mergesWrites;
    }

    @Override
    public void sourceEnded(boolean notify) {
        loop.execute(() -> {
            if (!closed) {
                writeBacklog(); // what the merged write holds goes before the notification
                listener.sourceEnded(notify);
            }
        });
    }

    @Override
    public void streamFailed(String reason) {
        loop.execute(() -> {
            if (!closed) {
                writeBacklog();
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
        if (!closed) {
            writeFrames(true);
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
        if (backlogBytes >= earlyWriteBytes && channel.isWritable()) {
            writeBacklog(); // a merged write does not wait with this much: what stays is what cannot go
        }
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

    /**
     * Writes the backlog in one batch past the codecs and flushes once; {@code all}: ignore the
     * channel's writability (the end of a play, whose remainder is bounded by the budget).
     */
    private void writeFrames(boolean all) {
        int frames = 0;
        long bytes = 0;
        while (!backlog.isEmpty() && (all || channel.isWritable())) {
            MediaFrame f = backlog.poll();
            int length = f.wireLength();
            backlogBytes -= length;
            frames++;
            bytes += length;
            if (out != null) {
                out.write(f.chunksFor(messageStreamId, channel.alloc()), channel.voidPromise());
            } else {
                channel.write(f.chunksFor(messageStreamId, channel.alloc()), channel.voidPromise());
            }
            f.release();
        }
        if (frames > 0) {
            framesSent += frames;
            bytesSent += bytes;
            meters.sent().increment(frames);
            if (out != null) {
                ((ConnectionHandler) out.handler()).written(out, bytes);
            }
            channel.flush();
        }
    }

    private void writeBacklog() {
        writeFrames(false);
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
