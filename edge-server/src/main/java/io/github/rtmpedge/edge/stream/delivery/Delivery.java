package io.github.rtmpedge.edge.stream.delivery;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a stream's shared frames to one peer: a {@link Backlog} under the slow-consumer policy,
 * written in batches through the {@link FrameWriter} the peer's session hands in, with one flush
 * per batch. Confined to the peer's event loop; the stream's {@link LoopFanOut} calls it there.
 *
 * <p>Ending delivery: {@link #close()} stops it at once (the caller then unsubscribes and calls
 * {@link #releaseAll()}); {@link #finish()} writes everything offered first.
 */
public final class Delivery implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final EventLoop loop;
    private final FrameWriter writer;
    private final Backlog backlog;
    private final DeliveryListener listener;
    private final DeliveryMeters meters;
    private final boolean mergesWrites;
    private final String description;
    /** When delivery began, on the backlog's clock. */
    private final long startedNanos;

    private boolean keyframeWritten;
    private boolean closed;
    /** Hands over what the loop's group keeps for the merged write (set when joined). */
    private Runnable handOverKept = () -> {};
    /** Written as whole batches since the last flush. */
    private int unflushedFrames;

    private long unflushedBytes;

    /**
     * @param mergesWrites writes may wait for the stream's merged-write timer ({@code mw_latency});
     *                     false: every batch is sent at once
     */
    public Delivery(
            EventLoop loop,
            FrameWriter writer,
            Backlog backlog,
            DeliveryListener listener,
            DeliveryMeters meters,
            boolean mergesWrites,
            String description) {
        this.loop = loop;
        this.writer = writer;
        this.backlog = backlog;
        this.listener = listener;
        this.meters = meters;
        this.mergesWrites = mergesWrites;
        this.description = description;
        this.startedNanos = backlog.nanoTime();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public boolean mergesWrites() {
        return mergesWrites;
    }

    @Override
    public void accept(MediaFrame frame) {
        if (closed) {
            backlog.refuse(frame.retain()); // counted as offered and discarded
            return;
        }
        long droppedBefore = backlog.dropped();
        backlog.offer(frame.retain());
        if (backlog.wantsEarlyWrite() && writer.writable()) {
            writeBacklog(); // a merged write does not wait with this much: what stays is what cannot go
        }
        if (!closed && backlog.trim()) {
            long overflows = backlog.overflows();
            if (overflows == 1 || overflows % 100 == 0) {
                log.warn(
                        "{} fell behind (backlog over {} ms or {} bytes): dropped {} frames up to a keyframe"
                                + " ({} overflows, {} frames / {} bytes dropped in all)",
                        description,
                        backlog.queueLengthMillis(),
                        backlog.queueMaxBytes(),
                        backlog.dropped() - droppedBefore,
                        overflows,
                        backlog.dropped(),
                        backlog.bytesDropped());
            }
        }
        long dropped = backlog.dropped() - droppedBefore;
        if (dropped > 0) {
            meters.dropped().increment((double) dropped);
        }
    }

    @Override
    public void joined(Runnable handOverKept) {
        this.handOverKept = handOverKept;
    }

    /**
     * Writes everything due now, what the loop's group still keeps for the merged write included (at
     * most {@code mw_latency} of media): before a drain closes the connection, so that the peer
     * loses nothing that was due.
     */
    public void sendAllDue() {
        if (!closed) {
            handOverKept.run();
            writeBacklog();
        }
    }

    /**
     * In step with the stream (nothing waiting, a picture already written, the connection
     * writable): the batch goes to the connection as one message. Otherwise frame by frame, under
     * the backlog's policy.
     */
    @Override
    public void acceptAll(FrameBatch batch) {
        if (!closed
                && keyframeWritten
                && backlog.isEmpty()
                && !backlog.awaitingKeyframe()
                && writer.writable()
                && writer.writeBatch(batch)) {
            backlog.passed(batch.size(), batch.wireBytes());
            meters.sent().increment(batch.size());
            unflushedFrames += batch.size();
            unflushedBytes += batch.wireBytes();
            return;
        }
        Subscriber.super.acceptAll(batch);
    }

    @Override
    public void send() {
        if (!closed) {
            writeBacklog();
        }
    }

    @Override
    public void sourceEnded(boolean notify) {
        if (!closed) {
            writeBacklog(); // what the merged write holds goes before the notification
            listener.sourceEnded(notify);
        }
    }

    @Override
    public void streamFailed(String reason) {
        if (!closed) {
            writeBacklog();
            listener.streamFailed(reason);
        }
    }

    /** The connection became writable again: send what waits. */
    public void writabilityChanged() {
        if (!closed && writer.writable()) {
            writeBacklog();
        }
    }

    /** Stops delivery; the caller then unsubscribes and calls {@link #releaseAll()} on this loop. */
    public void close() {
        closed = true;
    }

    /** Releases every frame still held, counted as discarded. After unsubscribing. */
    public void releaseAll() {
        closed = true;
        backlog.discardAll();
    }

    /**
     * Ends delivery without losing what was offered: everything waiting is written (bounded by the
     * backlog's budget, so writing it past the water mark is bounded too), then delivery stops.
     * After unsubscribing, so that nothing more arrives; the caller writes its end-of-stream
     * status after this.
     */
    public void finish() {
        if (!closed) {
            writeFrames(true);
        }
        closed = true;
        writer.flush(0, 0);
    }

    /** Frames offered so far; once delivery has ended, offered = sent + dropped + discarded. */
    public long framesOffered() {
        return backlog.offered();
    }

    /** Frames released unsent because delivery was cut off (connection closed, play stopped abruptly). */
    public long framesDiscarded() {
        return backlog.discarded();
    }

    public long framesSent() {
        return backlog.sent();
    }

    public long bytesSent() {
        return backlog.bytesSent();
    }

    public long framesDropped() {
        return backlog.dropped();
    }

    public long bytesDropped() {
        return backlog.bytesDropped();
    }

    /** Bytes waiting (not yet handed to the connection). */
    public long backlogBytes() {
        return backlog.bytes();
    }

    /** Writes the backlog in one batch and flushes once; {@code all}: ignore writability (the end of a play). */
    private void writeFrames(boolean all) {
        int frames = 0;
        long bytes = 0;
        while (!backlog.isEmpty() && (all || writer.writable())) {
            MediaFrame f = backlog.poll();
            frames++;
            bytes += f.wireLength();
            if (!keyframeWritten && f.kind() == MediaFrame.Kind.VIDEO && f.keyframe() && !f.sequenceHeader()) {
                // what a viewer waits for: the first picture it can decode
                meters.firstKeyframe().record(backlog.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
                keyframeWritten = true;
            }
            try {
                writer.write(f);
            } finally {
                f.release();
            }
        }
        if (frames > 0) {
            backlog.sent(frames, bytes);
            meters.sent().increment(frames);
        }
        if (frames > 0 || unflushedFrames > 0) {
            writer.flush(frames + unflushedFrames, bytes + unflushedBytes);
            unflushedFrames = 0;
            unflushedBytes = 0;
        }
    }

    private void writeBacklog() {
        writeFrames(false);
        if (backlog.stalledTooLong(writer.writable())) {
            String reason = "no progress for " + backlog.queueLengthMillis() + " ms; " + backlog.dropped() + " frames ("
                    + backlog.bytesDropped() + " bytes) dropped";
            closed = true;
            meters.tooSlow().increment();
            listener.tooSlow(reason);
        }
    }
}
