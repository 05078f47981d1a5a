package io.github.rtmpedge.edge.stream.delivery;

import static io.github.rtmpedge.edge.stream.TestFrames.audio;
import static io.github.rtmpedge.edge.stream.TestFrames.inter;
import static io.github.rtmpedge.edge.stream.TestFrames.key;
import static io.github.rtmpedge.edge.stream.TestFrames.videoHeader;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-loop hand-off of a stream's frames: order (start frames first, then what was fanned out
 * after the join, nothing after the leave), one task per batch for the whole group, and the merged
 * write (sends wait for the group's timer, except a join's start and non-merging members).
 */
class LoopFanOutTest {

    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();

    /** Records what it is given; keeps nothing (releases at once, like a closed subscriber would not retain). */
    private static final class Recorder implements Subscriber {
        final EventLoop loop;
        final boolean merges;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        Runnable handOverKept;

        Recorder(EventLoop loop, boolean merges) {
            this.loop = loop;
            this.merges = merges;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public void joined(Runnable handOverKept) {
            this.handOverKept = handOverKept;
        }

        @Override
        public void accept(MediaFrame frame) {
            if (!loop.inEventLoop()) {
                events.add("accept off-loop");
            }
            events.add(frame.timestamp() + (frame.sequenceHeader() ? "h" : ""));
        }

        @Override
        public void send() {
            events.add("send");
        }

        @Override
        public boolean mergesWrites() {
            return merges;
        }

        @Override
        public void sourceEnded(boolean notify) {}

        @Override
        public void streamFailed(String reason) {}

        @Override
        public String describe() {
            return "recorder";
        }
    }

    private MediaFrame track(MediaFrame f) {
        frames.add(f);
        return f;
    }

    @AfterEach
    void tearDown() {
        for (MediaFrame f : frames) {
            f.release();
        }
        for (MediaFrame f : frames) {
            assertEquals(0, f.refCnt(), "a reference leaked: " + f);
        }
        for (EventLoop loop : loops) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aMemberGetsItsStartFramesThenWhatFollowsItsJoinUntilItLeaves() {
        EmbeddedChannel ch = new EmbeddedChannel();
        LoopFanOut group = new LoopFanOut(ch.eventLoop(), () -> 0);
        Recorder a = new Recorder(ch.eventLoop(), true);
        Recorder b = new Recorder(ch.eventLoop(), true);

        group.join(a, new MediaFrame[] {track(videoHeader(0)), track(key(0, 100))});
        group.fanOut(track(inter(40, 50)));
        group.join(b, new MediaFrame[] {track(key(0, 100))});
        group.fanOut(track(audio(60, 10)));
        group.leave(a);
        group.fanOut(track(inter(80, 50)));

        assertEquals(List.of("0h", "0", "send", "40", "send", "60", "send"), a.events);
        assertEquals(List.of("0", "send", "60", "send", "80", "send"), b.events);
        assertEquals(1, group.size());
        ch.finishAndReleaseAll();
    }

    @Test
    void mergedWritesWaitForTheGroupsTimerButAJoinAndANonMergingMemberSendAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // only advanceTimeBy moves the timers: a pause of the test cannot fire one early
        LoopFanOut group = new LoopFanOut(ch.eventLoop(), () -> TimeUnit.MILLISECONDS.toNanos(350));
        Recorder player = new Recorder(ch.eventLoop(), true);
        Recorder push = new Recorder(ch.eventLoop(), false);

        group.join(player, new MediaFrame[] {track(key(0, 100))});
        group.join(push, new MediaFrame[0]);
        group.fanOut(track(inter(40, 50)));
        group.fanOut(track(inter(80, 50)));
        assertEquals(List.of("0", "send"), player.events, "the player's frames wait for the timer");
        assertEquals(List.of("send", "40", "send", "80", "send"), push.events, "the push sends every batch");

        ch.advanceTimeBy(349, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of("0", "send"), player.events);
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of("0", "send", "40", "80", "send"), player.events, "both frames in one go, then one send");

        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(5, player.events.size(), "no timer without frames");
        ch.finishAndReleaseAll();
    }

    @Test
    void keptFramesReachMembersBeforeAJoinOrALeaveAndABurstGoesBeforeTheTimer() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // only advanceTimeBy moves the timers: a pause of the test cannot fire one early
        LoopFanOut group = new LoopFanOut(ch.eventLoop(), () -> TimeUnit.MILLISECONDS.toNanos(350));
        Recorder a = new Recorder(ch.eventLoop(), true);
        Recorder b = new Recorder(ch.eventLoop(), true);

        group.join(a, new MediaFrame[0]);
        group.fanOut(track(inter(40, 50)));
        group.join(b, new MediaFrame[0]);
        assertEquals(List.of("send", "40"), a.events, "a join hands over what was kept, without sending");
        assertEquals(List.of("send"), b.events, "the joiner gets nothing from before its join");
        group.fanOut(track(inter(80, 50)));
        group.leave(a);
        assertEquals(List.of("send", "40", "80"), a.events, "a leaving member gets what came before its leave");

        group.fanOut(track(key(120, LoopFanOut.EARLY_WRITE_BYTES)));
        assertEquals(List.of("send", "80", "120", "send"), b.events, "a burst goes out before the timer");
        assertEquals(List.of("send", "40", "80"), a.events, "nothing after the leave");

        ch.advanceTimeBy(350, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of("send", "80", "120", "send", "send"), b.events, "the timer finds nothing kept");
        ch.finishAndReleaseAll();
    }

    @Test
    void aMemberAboutToBeDrainedCanTakeWhatTheGroupKeepsAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // only advanceTimeBy moves the timers: a pause of the test cannot fire one early
        LoopFanOut group = new LoopFanOut(ch.eventLoop(), () -> TimeUnit.MILLISECONDS.toNanos(350));
        Recorder a = new Recorder(ch.eventLoop(), true);
        Recorder b = new Recorder(ch.eventLoop(), true);
        group.join(a, new MediaFrame[0]);
        group.join(b, new MediaFrame[0]);
        group.fanOut(track(inter(40, 50)));
        group.fanOut(track(audio(60, 10)));

        a.handOverKept.run(); // a drain: the member then sends what it holds and closes

        assertEquals(List.of("send", "40", "60"), a.events);
        assertEquals(List.of("send", "40", "60"), b.events, "the others get them early, and send at the timer");
        ch.advanceTimeBy(350, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of("send", "40", "60", "send"), b.events);
        ch.finishAndReleaseAll();
    }

    @Test
    void anotherLoopGetsOneTaskPerBatchAndEveryFrameInOrder() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        CountingLoop counting = countingLoop(tasks);
        EventLoop playerLoop = counting.delegate;
        LoopFanOut group = new LoopFanOut(counting, () -> 0);
        List<Recorder> members = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Recorder r = new Recorder(counting, true);
            members.add(r);
            group.join(r, new MediaFrame[0]);
        }
        // Hold the player loop (after the joins' task has run) so that everything below is one batch.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        playerLoop.execute(() -> {
            holding.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await(10, TimeUnit.SECONDS);
        int before = tasks.get();
        for (int i = 1; i <= 20; i++) {
            group.fanOut(track(inter(40L * i, 50)));
        }
        hold.countDown();
        List<String> expected = new ArrayList<>(List.of("send")); // the join's
        for (int i = 1; i <= 20; i++) {
            expected.add(Long.toString(40L * i));
        }
        expected.add("send");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> members.get(49).events.size() == expected.size());
        playerLoop.submit(() -> {}).sync();
        for (Recorder r : members) {
            assertEquals(expected, r.events);
        }
        assertEquals(before + 1, tasks.get(), "20 frames for 50 members on another loop: one task");
    }

    @Test
    void framesWaitingForTheMergedWriteDoNotWakeAnotherLoopUnlessABurstOrADrainNeedsThem() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        CountingLoop counting = countingLoop(tasks);
        EventLoop playerLoop = counting.delegate;
        AtomicInteger mergeAsked = new AtomicInteger();
        LoopFanOut group = new LoopFanOut(counting, () -> {
            mergeAsked.incrementAndGet();
            return TimeUnit.SECONDS.toNanos(3); // long: nothing below may race the timer
        });
        Recorder a = new Recorder(counting, true);
        Recorder b = new Recorder(counting, true);
        group.join(a, new MediaFrame[0]);
        group.join(b, new MediaFrame[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.size() == 1); // the joins' sends

        group.fanOut(track(inter(40, 50))); // wakes the loop, which arms its timer and goes quiet
        await().atMost(Duration.ofSeconds(10)).until(() -> mergeAsked.get() == 1);
        playerLoop.submit(() -> {}).sync(); // that task has finished: the timer is armed
        int woken = tasks.get();
        for (int i = 2; i <= 6; i++) {
            group.fanOut(track(inter(40L * i, 50)));
        }
        assertEquals(woken, tasks.get(), "frames before the merged write wake nobody");

        playerLoop.submit(() -> a.handOverKept.run()).sync(); // a drain takes what waits, quiet or kept
        assertEquals(List.of("send", "40", "80", "120", "160", "200", "240"), a.events);

        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.contains("send") && b.events.size() == 8);
        assertEquals(List.of("send", "40", "80", "120", "160", "200", "240", "send"), b.events);

        group.fanOut(track(inter(280, 50))); // after the merged write: wakes the loop and arms the timer again
        await().atMost(Duration.ofSeconds(10)).until(() -> mergeAsked.get() == 2);
        playerLoop.submit(() -> {}).sync();
        woken = tasks.get();
        group.fanOut(track(key(320, LoopFanOut.EARLY_WRITE_BYTES))); // a burst: written before the timer
        assertEquals(woken + 1, tasks.get(), "a burst wakes the loop");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.size() == 11);
        assertEquals(List.of("280", "320", "send"), b.events.subList(8, 11));
    }

    /** A fresh loop (shut down after the test) seen through a {@link CountingLoop}. */
    private CountingLoop countingLoop(AtomicInteger tasks) {
        DefaultEventLoop loop = new DefaultEventLoop();
        loops.add(loop);
        return new CountingLoop(loop, tasks);
    }

    /** An event loop that counts the tasks given to it (and is the same loop otherwise). */
    private static final class CountingLoop extends io.netty.channel.AbstractEventLoop implements EventLoop {
        private final EventLoop delegate;
        private final AtomicInteger tasks;

        CountingLoop(EventLoop delegate, AtomicInteger tasks) {
            this.delegate = delegate;
            this.tasks = tasks;
        }

        @Override
        public void execute(Runnable command) {
            tasks.incrementAndGet();
            delegate.execute(command);
        }

        @Override
        public boolean inEventLoop(Thread thread) {
            return delegate.inEventLoop(thread);
        }

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return delegate.schedule(command, delay, unit); // a timer is not a wake-up from another thread
        }

        @Override
        public io.netty.channel.ChannelFuture register(io.netty.channel.Channel channel) {
            return delegate.register(channel);
        }

        @Override
        public io.netty.channel.ChannelFuture register(io.netty.channel.ChannelPromise promise) {
            return delegate.register(promise);
        }

        @Override
        @SuppressWarnings("deprecation")
        public io.netty.channel.ChannelFuture register(
                io.netty.channel.Channel channel, io.netty.channel.ChannelPromise promise) {
            return delegate.register(channel, promise);
        }

        @Override
        public boolean isShuttingDown() {
            return delegate.isShuttingDown();
        }

        @Override
        public io.netty.util.concurrent.Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
            return delegate.shutdownGracefully(quietPeriod, timeout, unit);
        }

        @Override
        public io.netty.util.concurrent.Future<?> terminationFuture() {
            return delegate.terminationFuture();
        }

        @Override
        @Deprecated
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
