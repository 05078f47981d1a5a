package io.github.rtmpedge.edge.stream.delivery;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The slow-consumer policy of one subscriber, with no I/O: the frames waiting to be written, the
 * bounds on them, what is dropped when they are exceeded, and how long the peer has made no
 * progress.
 *
 * <p>When the backlog spans more than {@code queueLength} of media time or holds more than
 * {@code queueMaxBytes}, it is cut back to its newest keyframe, or emptied with everything dropped
 * until the next keyframe; sequence headers and metadata are never dropped. A peer that stays
 * unwritable for longer than {@code queueLength} is too slow. Confined to one thread (the
 * subscriber's loop); the clock is injected so that tests control time.
 */
public final class Backlog {

    private static final long EARLY_WRITE_BYTES = 128 * 1024;

    private final long queueLengthMillis;
    private final long queueMaxBytes;
    /** Backlog size at which a merged write goes out before its timer (a burst of large frames). */
    private final long earlyWriteBytes;

    private final LongSupplier nanoClock;
    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private long bytes;
    private boolean awaitingKeyframe;
    private long stalledSinceNanos = -1;
    private long offered;
    private long discarded;
    private long sent;
    private long bytesSent;
    private long dropped;
    private long bytesDropped;
    private long overflows;

    /** Now, on this backlog's clock (nanoseconds). */
    long nanoTime() {
        return nanoClock.getAsLong();
    }

    public Backlog(long queueLengthMillis, long queueMaxBytes, LongSupplier nanoClock) {
        this.queueLengthMillis = queueLengthMillis;
        this.queueMaxBytes = queueMaxBytes;
        this.earlyWriteBytes = Math.min(EARLY_WRITE_BYTES, queueMaxBytes / 2);
        this.nanoClock = nanoClock;
    }

    public long queueLengthMillis() {
        return queueLengthMillis;
    }

    public long queueMaxBytes() {
        return queueMaxBytes;
    }

    /**
     * Takes {@code f} (the caller's reference passes here): queued, or dropped while waiting for a
     * keyframe. The bounds are enforced by {@link #trim}, after an early write had its chance.
     */
    public void offer(MediaFrame f) {
        offered++;
        boolean videoKey = f.kind() == MediaFrame.Kind.VIDEO && f.keyframe();
        if (awaitingKeyframe && !f.essential() && !videoKey) {
            drop(f);
            return;
        }
        if (videoKey) {
            awaitingKeyframe = false;
        }
        frames.add(f);
        bytes += f.wireLength();
    }

    /**
     * {@code n} frames of {@code wireBytes} went to the peer without waiting here (a whole batch
     * written while nothing waited): counted as offered and sent.
     */
    public void passed(int n, long wireBytes) {
        offered += n;
        sent += n;
        bytesSent += wireBytes;
    }

    /** True while frames are dropped until the next keyframe (after the backlog was emptied). */
    public boolean awaitingKeyframe() {
        return awaitingKeyframe;
    }

    /** Enforces the bounds; true if frames had to be dropped (one more overflow). */
    public boolean trim() {
        if (!overBudget()) {
            return false;
        }
        shed();
        return true;
    }

    /** Takes {@code f} after delivery has ended: counted as offered and discarded, and released. */
    public void refuse(MediaFrame f) {
        offered++;
        discarded++;
        f.release();
    }

    /** True when so much waits that a merged write should not wait for its timer. */
    public boolean wantsEarlyWrite() {
        return bytes >= earlyWriteBytes;
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The oldest waiting frame, now the caller's (write it, then release it), or null. */
    public MediaFrame poll() {
        MediaFrame f = frames.poll();
        if (f != null) {
            bytes -= f.wireLength();
        }
        return f;
    }

    /** {@code n} frames of {@code wireBytes} taken with {@link #poll} were written. */
    public void sent(int n, long wireBytes) {
        sent += n;
        bytesSent += wireBytes;
    }

    /** Releases everything waiting, counted as discarded (delivery was cut off). */
    public void discardAll() {
        for (MediaFrame f; (f = frames.poll()) != null; ) {
            discarded++;
            f.release();
        }
        bytes = 0;
    }

    /**
     * Records whether the peer took what was written; true when it has been unwritable for longer
     * than queue_length (an empty backlog, e.g. just shed, does not end a stall).
     */
    public boolean stalledTooLong(boolean writable) {
        if (writable) {
            stalledSinceNanos = -1;
            return false;
        }
        long now = nanoClock.getAsLong();
        if (stalledSinceNanos < 0) {
            stalledSinceNanos = now;
            return false;
        }
        return now - stalledSinceNanos > TimeUnit.MILLISECONDS.toNanos(queueLengthMillis);
    }

    /** Frames offered so far; once delivery has ended, offered = sent + dropped + discarded. */
    public long offered() {
        return offered;
    }

    public long discarded() {
        return discarded;
    }

    public long sent() {
        return sent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long dropped() {
        return dropped;
    }

    public long bytesDropped() {
        return bytesDropped;
    }

    /** How many times the backlog outgrew its bounds. */
    public long overflows() {
        return overflows;
    }

    /** Bytes waiting (not yet handed to the connection). */
    public long bytes() {
        return bytes;
    }

    private boolean overBudget() {
        if (bytes > queueMaxBytes) {
            return true;
        }
        // The span of what can be dropped: metadata and sequence headers keep the timestamp of when
        // they were cached (a late joiner gets them stamped at the stream's start) and never go.
        MediaFrame last = frames.peekLast();
        for (MediaFrame f : frames) {
            if (!f.essential()) {
                return f != last && last.timestamp() - f.timestamp() > queueLengthMillis;
            }
        }
        return false;
    }

    /** Cuts the backlog back to its newest keyframe, or empties it and waits for the next one. */
    private void shed() {
        overflows++;
        MediaFrame newestKey = null;
        for (Iterator<MediaFrame> it = frames.descendingIterator(); it.hasNext(); ) {
            MediaFrame f = it.next();
            if (f.kind() == MediaFrame.Kind.VIDEO && f.keyframe()) {
                newestKey = f;
                break;
            }
        }
        boolean keepFromKey = newestKey != null && newestKey != frames.peekFirst();
        boolean reached = false;
        for (Iterator<MediaFrame> it = frames.iterator(); it.hasNext(); ) {
            MediaFrame f = it.next();
            if (f == newestKey && keepFromKey) {
                reached = true;
            }
            if (!reached && !f.essential()) {
                it.remove();
                bytes -= f.wireLength();
                drop(f);
            }
        }
        if (!keepFromKey || overBudget()) {
            for (Iterator<MediaFrame> it = frames.iterator(); it.hasNext(); ) {
                MediaFrame f = it.next();
                if (!f.essential()) {
                    it.remove();
                    bytes -= f.wireLength();
                    drop(f);
                }
            }
            awaitingKeyframe = true;
        }
    }

    private void drop(MediaFrame f) {
        dropped++;
        bytesDropped += f.wireLength();
        f.release();
    }
}
