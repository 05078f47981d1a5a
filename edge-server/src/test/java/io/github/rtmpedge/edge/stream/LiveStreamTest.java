package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.github.rtmpedge.edge.stream.delivery.Subscriber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream hub on an {@link io.netty.channel.embedded.EmbeddedEventLoop}, which runs on the calling
 * thread and is always "in" its loop, so the confined methods can be called directly.
 */
class LiveStreamTest {

    private static final StreamKey KEY = new StreamKey("live", "cam1");

    private final EmbeddedChannel loopOwner = new EmbeddedChannel();
    private final StreamRegistry registry = new StreamRegistry(ByteBufAllocator.DEFAULT, 128, true, 1 << 20);
    private final LiveStream stream = registry.getOrCreate(KEY, loopOwner.eventLoop());
    private final LiveStream.Source source = () -> "test source";
    private final List<Recorder> recorders = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Recorder r : recorders) {
            stream.unsubscribe(r);
        }
        stream.detach(source, false);
        assertTrue(stream.closed(), "the stream must have released its caches");
        assertFalse(loopOwner.finish());
    }

    /** A player that records what it was given: the frame instance, and a copy of its bytes. */
    private final class Recorder implements Subscriber {
        final List<MediaFrame> frames = new ArrayList<>();
        final List<String> described = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();
        final List<Boolean> sourceEnded = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        Recorder() {
            recorders.add(this);
        }

        @Override
        public EventLoop loop() {
            return loopOwner.eventLoop();
        }

        @Override
        public void send() {}

        @Override
        public boolean mergesWrites() {
            return true;
        }

        @Override
        public void accept(MediaFrame frame) {
            frames.add(frame);
            described.add(label(frame));
            bytes.add(ByteBufUtil.getBytes(frame.chunks()));
        }

        @Override
        public void sourceEnded(boolean notify) {
            sourceEnded.add(notify);
        }

        @Override
        public void streamFailed(String reason) {
            failures.add(reason);
        }

        @Override
        public String describe() {
            return "recorder";
        }
    }

    private static String label(MediaFrame f) {
        return f.kind() + "@" + f.timestamp() + (f.keyframe() ? " key" : "") + (f.sequenceHeader() ? " header" : "");
    }

    private void video(LiveStream.Source s, long ts, ByteBuf payload) {
        try {
            stream.video(s, ts, payload);
        } finally {
            payload.release();
        }
    }

    private void audio(LiveStream.Source s, long ts, ByteBuf payload) {
        try {
            stream.audio(s, ts, payload);
        } finally {
            payload.release();
        }
    }

    private void metadata(LiveStream.Source s, long ts) {
        ByteBuf amf = Unpooled.wrappedBuffer(new byte[] {0x02, 0x00, 0x01, 'x'}); // AMF0 string "x" stands in
        try {
            stream.data(s, ts, amf, true);
        } finally {
            amf.release();
        }
    }

    private void publishHeadersAndGop(LiveStream.Source s) {
        metadata(s, 0);
        video(s, 0, TestFrames.avcHeader());
        audio(s, 0, TestFrames.aacHeader());
        video(s, 1000, TestFrames.avcKey(500, 1));
        audio(s, 1010, TestFrames.aacRaw(100, 2));
        video(s, 1040, TestFrames.avcInter(200, 3));
    }

    @Test
    void lateSubscriberGetsMetadataHeadersThenTheGopInOrder() {
        stream.attach(source);
        video(source, 0, TestFrames.avcInter(200, 9)); // before the first keyframe: not cached
        publishHeadersAndGop(source);
        Recorder late = new Recorder();
        stream.subscribe(late);
        assertEquals(
                List.of(
                        "DATA@0 header",
                        "VIDEO@0 header",
                        "AUDIO@0 header",
                        "VIDEO@1000 key",
                        "AUDIO@1010",
                        "VIDEO@1040"),
                late.described);
    }

    @Test
    void liveFramesReachEverySubscriberAsOneEncoding() {
        stream.attach(source);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        stream.subscribe(one);
        stream.subscribe(two);
        video(source, 1000, TestFrames.avcKey(500, 1));
        assertEquals(1, one.frames.size());
        assertSame(one.frames.get(0), two.frames.get(0)); // one MediaFrame: chunked once for both
    }

    @Test
    void liveFramesCarryTheSameChunkBytesForEverySubscriber() {
        stream.attach(source);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        stream.subscribe(one);
        stream.subscribe(two);
        video(source, 1000, TestFrames.avcKey(500, 1));
        assertArrayEquals(one.bytes.get(0), two.bytes.get(0));
    }

    @Test
    void secondSourceIsRefused() {
        assertTrue(stream.attach(source));
        LiveStream.Source other = () -> "other";
        assertFalse(stream.attach(other));
        assertSame(source, stream.source());
    }

    @Test
    void framesFromASourceThatIsNotAttachedAreIgnored() {
        stream.attach(source);
        Recorder player = new Recorder();
        stream.subscribe(player);
        video(() -> "intruder", 1000, TestFrames.avcKey(500, 1));
        assertEquals(List.of(), player.described);
    }

    @Test
    void detachNotifiesEverySubscriber() {
        stream.attach(source);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        stream.subscribe(one);
        stream.subscribe(two);
        stream.detach(source, true);
        assertEquals(List.of(List.of(true), List.of(true)), List.of(one.sourceEnded, two.sourceEnded));
    }

    @Test
    void streamWithSubscribersStaysOpenWhenTheSourceLeaves() {
        stream.attach(source);
        stream.subscribe(new Recorder());
        stream.detach(source, true);
        assertFalse(stream.closed());
    }

    @Test
    void streamClosesAndLeavesTheRegistryWhenItHasNeitherSourceNorSubscribers() {
        Recorder player = new Recorder();
        stream.subscribe(player);
        stream.unsubscribe(player);
        assertTrue(stream.closed());
        assertNull(registry.get(KEY));
    }

    @Test
    void streamClosesWhenTheSourceLeavesWithoutPlayers() {
        stream.attach(source);
        publishHeadersAndGop(source);
        stream.detach(source, true);
        assertTrue(stream.closed());
        assertNull(registry.get(KEY));
    }

    @Test
    void closedStreamRefusesSubscribersAndSources() {
        stream.attach(source);
        stream.detach(source, false);
        assertFalse(stream.subscribe(new Recorder()) || stream.attach(source));
    }

    @Test
    void newSessionClearsTheGopAndTheHeaders() {
        stream.attach(source);
        stream.subscribe(new Recorder()); // keeps the stream open between the sessions
        publishHeadersAndGop(source);
        stream.detach(source, true);
        LiveStream.Source next = () -> "next source";
        stream.attach(next);
        Recorder late = new Recorder();
        stream.subscribe(late);
        assertEquals(List.of(), late.described);
        assertEquals(0, stream.cachedFrames());
        stream.detach(next, false);
    }

    @Test
    void newSessionIsRebasedAfterTheLastTimestamp() {
        stream.attach(source);
        Recorder player = new Recorder();
        stream.subscribe(player);
        video(source, 5000, TestFrames.avcKey(500, 1));
        stream.detach(source, true);
        LiveStream.Source next = () -> "next source";
        stream.attach(next);
        video(next, 0, TestFrames.avcKey(500, 1));
        video(next, 40, TestFrames.avcInter(200, 1));
        assertEquals(List.of("VIDEO@5000 key", "VIDEO@5040 key", "VIDEO@5080"), player.described);
        stream.detach(next, false);
    }

    @Test
    void failPlayersReachesEverySubscriber() {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        stream.subscribe(one);
        stream.subscribe(two);
        stream.failPlayers("upstream unavailable");
        assertEquals(
                List.of(List.of("upstream unavailable"), List.of("upstream unavailable")),
                List.of(one.failures, two.failures));
    }

    @Test
    void newMetadataReplacesTheOldForLateJoiners() {
        stream.attach(source);
        metadata(source, 0);
        metadata(source, 3000);
        Recorder late = new Recorder();
        stream.subscribe(late);
        assertEquals(List.of("DATA@3000 header"), late.described);
    }

    @Test
    void otherDataIsRelayedLiveButNotKeptForLateJoiners() {
        stream.attach(source);
        Recorder early = new Recorder();
        stream.subscribe(early);
        ByteBuf cue = Unpooled.wrappedBuffer(new byte[] {0x02, 0x00, 0x01, 'c'});
        try {
            stream.data(source, 100, cue, false);
        } finally {
            cue.release();
        }
        Recorder late = new Recorder();
        stream.subscribe(late);
        assertEquals(List.of(List.of("DATA@100"), List.of()), List.of(early.described, late.described));
    }

    @Test
    void countsFramesAndPayloadBytesIn() {
        stream.attach(source);
        video(source, 0, TestFrames.avcKey(500, 1));
        audio(source, 10, TestFrames.aacRaw(100, 1));
        assertEquals(List.of(2L, 600L), List.of(stream.framesIn(), stream.bytesIn()));
    }
}
