package io.github.rtmpedge.edge.stream.delivery;

import static io.github.rtmpedge.edge.stream.TestFrames.audio;
import static io.github.rtmpedge.edge.stream.TestFrames.inter;
import static io.github.rtmpedge.edge.stream.TestFrames.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.rtmpedge.edge.stream.TestFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backlog policy and batched writes of a {@link Delivery} on an {@link EmbeddedChannel}: frames
 * are accepted as a stream's fan-out hands them over, and a batch ends with {@link #endBatch()}
 * (the fan-out's send); the channel is made unwritable with a user-defined writability bit, so
 * nothing depends on buffer sizes; the stall clock is a counter.
 */
class DeliveryTest {

    private static final long QUEUE_LENGTH_MS = 1000;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final FlushCounter flushes = new FlushCounter();
    private final EmbeddedChannel ch = new EmbeddedChannel(flushes);
    private final List<String> events = new ArrayList<>();
    private final List<MediaFrame> handedOver = new ArrayList<>();
    private Delivery sub = subscriber(1 << 20);

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    /** Writes each frame's chunks with message stream 1 through the channel, as a player's writer does. */
    private final class ChunkWriter implements FrameWriter {
        @Override
        public boolean writable() {
            return ch.isWritable();
        }

        @Override
        public void write(MediaFrame frame) {
            ch.write(frame.chunksFor(1, ch.alloc()), ch.voidPromise());
        }

        @Override
        public boolean writeBatch(FrameBatch batch) {
            ch.write(batch.chunks(ch.alloc()).retainedDuplicate(), ch.voidPromise());
            return true;
        }

        @Override
        public void flush(int frames, long wireBytes) {
            ch.flush();
        }
    }

    /** Hands {@code fs} over as one batch, as a loop's fan-out does at a merged write, and drops the test's references. */
    private long deliverBatch(MediaFrame... fs) {
        long bytes = 0;
        for (MediaFrame f : fs) {
            handedOver.add(f);
            bytes += f.wireLength();
        }
        FrameBatch batch = new FrameBatch(List.of(fs), bytes);
        try {
            sub.acceptAll(batch);
        } finally {
            batch.close();
            for (MediaFrame f : fs) {
                f.release();
            }
        }
        return bytes;
    }

    /** The sizes of the buffers written so far, released. */
    private List<Integer> writtenSizes() {
        List<Integer> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.add(b.readableBytes());
            b.release();
        }
        return out;
    }

    private Delivery subscriber(long queueMaxBytes) {
        return new Delivery(
                ch.eventLoop(),
                new ChunkWriter(),
                new Backlog(QUEUE_LENGTH_MS, queueMaxBytes, nanos::get),
                new DeliveryListener() {
                    @Override
                    public void sourceEnded(boolean notify) {
                        events.add(
                                "sourceEnded " + notify + (ch.outboundMessages().isEmpty() ? "" : " after media"));
                    }

                    @Override
                    public void tooSlow(String reason) {
                        events.add("tooSlow");
                    }

                    @Override
                    public void streamFailed(String reason) {
                        events.add("streamFailed " + reason);
                    }
                },
                DeliveryMeters.NONE,
                true,
                "test player");
    }

    @AfterEach
    void tearDown() {
        sub.releaseAll();
        ch.runPendingTasks();
        written(); // releases what is still queued outbound
        for (MediaFrame f : handedOver) {
            assertEquals(0, f.refCnt(), "frame still referenced: " + f);
        }
        assertFalse(ch.finish());
    }

    /** Hands {@code f} over as a stream's fan-out does (the delivery retains it) and drops the test's reference. */
    private MediaFrame deliver(MediaFrame f) {
        handedOver.add(f);
        sub.accept(f);
        f.release();
        return f;
    }

    /** The fan-out's batch ends: what was accepted is sent. */
    private void endBatch() {
        sub.send();
        ch.runPendingTasks();
    }

    private void writable(boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        sub.writabilityChanged();
        ch.runPendingTasks();
    }

    /** The timestamps of the frames written so far (each is one buffer; format 0 header bytes 1..3). */
    private List<Long> written() {
        List<Long> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            try {
                out.add((long) b.getUnsignedMedium(b.readerIndex() + 1));
            } finally {
                b.release();
            }
        }
        return out;
    }

    @Test
    void framesAreWrittenInOrder() {
        deliver(key(0, 500));
        deliver(audio(20, 100));
        deliver(inter(40, 200));
        endBatch();
        assertEquals(List.of(0L, 20L, 40L), written());
    }

    @Test
    void aPlayerInStepWritesAWholeBatchAsOneMessageFlushedOnce() {
        deliver(key(0, 500));
        endBatch(); // its first picture is out: from now on it is in step
        written();
        int before = flushes.count;
        long bytes = deliverBatch(audio(20, 100), inter(40, 200), audio(60, 100));
        assertEquals(List.of(), List.copyOf(ch.outboundMessages()), "not flushed before the send");
        endBatch();
        assertEquals(List.of((int) bytes), writtenSizes(), "one buffer: the three frames' chunks end to end");
        assertEquals(1, flushes.count - before);
        assertEquals(List.of(4L, 4L), List.of(sub.framesOffered(), sub.framesSent()));
    }

    @Test
    void aBatchGoesFrameByFrameBeforeTheFirstPictureAndBehindAWaitingBacklog() {
        deliverBatch(key(0, 500), inter(40, 200)); // nothing written yet: the first keyframe is measured
        endBatch();
        assertEquals(List.of(0L, 40L), written());
        writable(false);
        deliver(audio(60, 100));
        endBatch();
        writable(true); // unwritable then writable: the backlog went out
        written();
        writable(false);
        deliver(audio(80, 100)); // waits in the backlog
        deliverBatch(inter(100, 200), audio(120, 100));
        writable(true);
        assertEquals(List.of(80L, 100L, 120L), written(), "behind what waits, in order, frame by frame");
        assertEquals(List.of(6L, 6L, 0L), List.of(sub.framesOffered(), sub.framesSent(), sub.framesDropped()));
    }

    @Test
    void sendAllDueTakesWhatTheGroupKeepsBeforeWriting() {
        deliver(key(0, 500));
        endBatch();
        written();
        sub.joined(() -> deliver(inter(40, 200))); // the group's hand-over of what it kept
        sub.sendAllDue();
        assertEquals(List.of(40L), written());
    }

    @Test
    void oneBatchIsFlushedOnce() {
        int before = flushes.count;
        deliver(key(0, 500));
        deliver(audio(20, 100));
        deliver(inter(40, 200));
        endBatch();
        assertEquals(1, flushes.count - before);
    }

    @Test
    void writtenFramesAreCountedAsSent() {
        MediaFrame k = deliver(key(0, 500));
        int wire = k.wireLength();
        endBatch();
        assertEquals(List.of(1L, (long) wire), List.of(sub.framesSent(), sub.bytesSent()));
    }

    @Test
    void finishWritesWhatWasHandedOverEvenToAnUnwritableChannel() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        sub.finish(); // nothing was sent yet: finish writes what waits, past the water mark
        ch.runPendingTasks();
        assertEquals(List.of(0L, 40L), written());
        assertEquals(
                List.of(2L, 2L, 0L, 0L),
                List.of(sub.framesOffered(), sub.framesSent(), sub.framesDropped(), sub.framesDiscarded()));
    }

    @Test
    void framesLeftWhenDeliveryIsCutOffAreCountedAsDiscarded() {
        writable(false);
        deliver(key(0, 500));
        endBatch();
        deliver(inter(40, 200));
        sub.close();
        sub.releaseAll();
        assertEquals(
                List.of(2L, 0L, 0L, 2L),
                List.of(sub.framesOffered(), sub.framesSent(), sub.framesDropped(), sub.framesDiscarded()));
    }

    @Test
    void afterFinishWhatWasOfferedIsExactlyWhatWasSentPlusWhatWasDropped() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        deliver(key(500, 500));
        deliver(inter(1001, 200)); // over queue_length: the first two are dropped
        endBatch();
        deliver(audio(1020, 100));
        sub.finish();
        assertEquals(List.of(500L, 1001L, 1020L), written());
        assertEquals(
                List.of(5L, 3L, 2L, 0L),
                List.of(sub.framesOffered(), sub.framesSent(), sub.framesDropped(), sub.framesDiscarded()));
    }

    @Test
    void unwritableChannelKeepsFramesInTheBacklog() {
        writable(false);
        MediaFrame k = deliver(key(0, 500));
        MediaFrame p = deliver(inter(40, 200));
        int wire = k.wireLength() + p.wireLength();
        endBatch();
        assertEquals(List.of(List.of(), (long) wire), List.of(written(), sub.backlogBytes()));
    }

    @Test
    void backlogIsWrittenWhenTheChannelIsWritableAgain() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        endBatch();
        writable(true);
        assertEquals(List.of(0L, 40L), written());
    }

    @Test
    void backlogLongerThanQueueLengthIsCutBackToTheNewestKeyframe() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        deliver(key(500, 500));
        deliver(inter(540, 200));
        deliver(inter(1001, 200)); // 1001 ms after the first frame: over queue_length (1000 ms)
        endBatch();
        writable(true);
        assertEquals(List.of(500L, 540L, 1001L), written());
    }

    @Test
    void cutBackCountsTheDroppedFrames() {
        writable(false);
        MediaFrame k = deliver(key(0, 500));
        MediaFrame p = deliver(inter(40, 200));
        int droppedWire = k.wireLength() + p.wireLength();
        deliver(key(500, 500));
        deliver(inter(1001, 200));
        endBatch();
        assertEquals(List.of(2L, (long) droppedWire), List.of(sub.framesDropped(), sub.bytesDropped()));
    }

    @Test
    void backlogWithoutANewerKeyframeIsEmptiedAndFramesAreDroppedUntilTheNextKeyframe() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        deliver(inter(1001, 200)); // over queue_length, and the only keyframe is the oldest frame
        deliver(audio(1020, 100)); // waits for a keyframe: dropped
        deliver(inter(1040, 200)); // dropped
        deliver(key(1100, 500));
        deliver(audio(1120, 100));
        endBatch();
        writable(true);
        assertEquals(List.of(1100L, 1120L), written());
    }

    @Test
    void emptiedBacklogCountsEveryDroppedFrame() {
        writable(false);
        deliver(key(0, 500));
        deliver(inter(40, 200));
        deliver(inter(1001, 200));
        deliver(inter(1040, 200));
        endBatch();
        assertEquals(4, sub.framesDropped());
    }

    @Test
    void sequenceHeadersAndMetadataAreNeverDropped() {
        writable(false);
        deliver(key(0, 500));
        deliver(TestFrames.videoHeader(20));
        deliver(TestFrames.frame(MediaFrame.Kind.DATA, 30, false, true, 50)); // onMetaData
        deliver(inter(40, 200));
        deliver(inter(1001, 200)); // over queue_length: everything droppable goes
        endBatch();
        writable(true);
        assertEquals(List.of(20L, 30L), written());
    }

    @Test
    void backlogOverQueueMaxBytesIsCutBackToTheNewestKeyframe() {
        MediaFrame sample = key(0, 1000);
        long threeFrames = 3L * sample.wireLength();
        sample.release();
        sub = subscriber(threeFrames - 1); // two 1000-byte frames fit, the third does not
        writable(false);
        deliver(key(0, 1000));
        deliver(inter(40, 1000));
        deliver(key(80, 1000));
        endBatch();
        writable(true);
        assertEquals(List.of(80L), written());
    }

    @Test
    void lateJoinerKeepsTheGopAlthoughTheCachedHeadersAreOlderThanQueueLength() {
        // What LiveStream.subscribe hands a player joining an hour into a stream: metadata and
        // sequence headers stamped at the start, then the GOP. The span to count is the media's.
        deliver(TestFrames.frame(MediaFrame.Kind.DATA, 0, false, true, 50));
        deliver(TestFrames.videoHeader(0));
        deliver(key(3_600_000, 1000));
        deliver(inter(3_600_040, 200));
        endBatch();
        assertEquals(List.of(0L, 0L, 3_600_000L, 3_600_040L), written());
    }

    @Test
    void stalledNoLongerThanQueueLengthIsNotTooSlow() {
        writable(false);
        deliver(key(0, 500));
        endBatch(); // the stall starts
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(QUEUE_LENGTH_MS));
        deliver(inter(40, 200));
        endBatch();
        assertEquals(List.of(), events);
    }

    @Test
    void stalledLongerThanQueueLengthIsTooSlow() {
        writable(false);
        deliver(key(0, 500));
        endBatch(); // the stall starts
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(QUEUE_LENGTH_MS) + 1);
        deliver(inter(40, 200));
        endBatch();
        assertEquals(List.of("tooSlow"), events);
    }

    @Test
    void progressResetsTheStall() {
        writable(false);
        deliver(key(0, 500));
        endBatch();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(QUEUE_LENGTH_MS));
        writable(true); // drains: no longer stalled
        writable(false);
        deliver(inter(40, 200));
        endBatch(); // a new stall starts here
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(QUEUE_LENGTH_MS));
        deliver(inter(80, 200));
        endBatch();
        assertEquals(List.of(), events);
    }

    @Test
    void closedSubscriberTakesNoFrames() {
        sub.close();
        MediaFrame k = deliver(key(0, 500));
        endBatch();
        assertEquals(List.of(List.of(), 0), List.of(written(), k.refCnt()));
    }

    @Test
    void sourceEndedAndStreamFailedReachTheListenerOnTheChannelsLoop() {
        sub.sourceEnded(true);
        sub.streamFailed("gone");
        endBatch();
        assertEquals(List.of("sourceEnded true", "streamFailed gone"), events);
    }

    @Test
    void acceptedFramesWaitForSendButGoOutBeforeTheSourceEndedNotification() {
        MediaFrame k = key(0, 500);
        handedOver.add(k);
        sub.accept(k); // a stream's batch on this loop: kept (retained), not written
        k.release();
        assertEquals(List.of(List.of(), 1), List.of(List.copyOf(ch.outboundMessages()), k.refCnt()));
        sub.sourceEnded(true);
        endBatch();
        assertEquals(List.of("sourceEnded true after media"), events);
        assertEquals(List.of(0L), written());
        MediaFrame p = inter(40, 200);
        handedOver.add(p);
        sub.accept(p);
        p.release();
        sub.send();
        assertEquals(List.of(40L), written());
    }

    @Test
    void aMergedWriteDoesNotWaitOnceTheBacklogHolds128KiB() {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024)); // the server's
        MediaFrame k = key(0, 100_000);
        MediaFrame p = inter(40, 100_000);
        for (MediaFrame f : List.of(k, p)) {
            handedOver.add(f);
            sub.accept(f);
            f.release();
            if (f == k) {
                assertEquals(List.of(), written(), "100 kB wait for the merged write");
            }
        }
        assertEquals(List.of(0L, 40L), written(), "200 kB went out without a send");
        assertEquals(0, sub.framesDropped());
    }

    @Test
    void releaseAllReleasesTheBacklogAndWhatTheBatchAccepted() {
        writable(false);
        MediaFrame inBacklog = deliver(key(0, 500));
        endBatch();
        MediaFrame handedOff = deliver(inter(40, 200)); // accepted, its batch not ended
        sub.releaseAll();
        assertEquals(List.of(0, 0), List.of(inBacklog.refCnt(), handedOff.refCnt()));
    }
}
