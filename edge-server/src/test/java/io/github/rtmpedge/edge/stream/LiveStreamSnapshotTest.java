package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.github.rtmpedge.edge.stream.delivery.Subscriber;
import io.github.rtmpedge.rtmp.flv.AudioCodec;
import io.github.rtmpedge.rtmp.flv.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LiveStream#snapshot()} on an embedded loop (always "in" its loop, on the test thread). */
class LiveStreamSnapshotTest {

    private final EmbeddedChannel loopOwner = new EmbeddedChannel();
    private final StreamRegistry registry = new StreamRegistry(ByteBufAllocator.DEFAULT, 128, true, 1 << 20);
    private final LiveStream stream = registry.getOrCreate(new StreamKey("live", "cam1"), loopOwner.eventLoop());
    private final LiveStream.Source publisher = new LiveStream.Source() {
        @Override
        public String describe() {
            return "publisher 10.1.2.3:5000";
        }

        @Override
        public String origin() {
            return "10.1.2.3:5000";
        }
    };
    private final Counter player1 = new Counter(loopOwner.eventLoop());
    private final Counter player2 = new Counter(loopOwner.eventLoop());

    @AfterEach
    void tearDown() {
        stream.unsubscribe(player1);
        stream.unsubscribe(player2);
        stream.detach(publisher, false);
        assertFalse(loopOwner.finish());
    }

    /** A player that adds up the wire bytes it is handed. */
    private static final class Counter implements Subscriber {
        private final EventLoop loop;
        long bytes;

        Counter(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public void accept(MediaFrame frame) {
            bytes += frame.wireLength();
        }

        @Override
        public void send() {}

        @Override
        public boolean mergesWrites() {
            return true;
        }

        @Override
        public void sourceEnded(boolean notify) {}

        @Override
        public void streamFailed(String reason) {}

        @Override
        public String describe() {
            return "counter";
        }
    }

    private void feed(boolean video, ByteBuf payload, long ts) {
        try {
            if (video) {
                stream.video(publisher, ts, payload);
            } else {
                stream.audio(publisher, ts, payload);
            }
        } finally {
            payload.release();
        }
    }

    private void publishSomeMedia() {
        feed(true, TestFrames.avcHeader(), 0);
        feed(false, TestFrames.aacHeader(), 0);
        feed(true, TestFrames.avcKey(500, 1), 0);
        feed(false, TestFrames.aacRaw(100, 2), 20);
        feed(true, TestFrames.avcInter(200, 3), 40);
    }

    @Test
    void codecsComeFromTheSequenceHeaders() {
        stream.attach(publisher);
        publishSomeMedia();
        StreamSnapshot s = stream.snapshot();
        assertEquals(List.of(VideoCodec.AVC, AudioCodec.AAC), List.of(s.videoCodec(), s.audioCodec()));
    }

    @Test
    void sourceKindAndOriginAreThePublishers() {
        stream.attach(publisher);
        StreamSnapshot s = stream.snapshot();
        assertEquals(List.of("publisher", "10.1.2.3:5000"), List.of(s.sourceKind(), s.origin()));
    }

    @Test
    void withoutASourceTheKindIsNoneAndTheCodecsAreForgotten() {
        stream.subscribe(player1); // keeps the stream open without a source
        stream.attach(publisher);
        publishSomeMedia();
        stream.detach(publisher, false);
        StreamSnapshot s = stream.snapshot();
        assertEquals(
                List.of("none", "", VideoCodec.UNKNOWN, AudioCodec.UNKNOWN),
                List.of(s.sourceKind(), s.origin(), s.videoCodec(), s.audioCodec()));
    }

    @Test
    void bytesOutAreWhatEveryPlayerWasHanded() {
        stream.attach(publisher);
        feed(true, TestFrames.avcHeader(), 0);
        stream.subscribe(player1); // gets the cached header on joining
        stream.subscribe(player2);
        publishSomeMedia();
        assertEquals(player1.bytes + player2.bytes, stream.snapshot().bytesOut());
    }

    @Test
    void bytesInArePayloadBytesFromTheSource() {
        stream.attach(publisher);
        long payloadBytes = 0;
        for (ByteBuf payload : List.of(
                TestFrames.avcHeader(),
                TestFrames.aacHeader(),
                TestFrames.avcKey(500, 1),
                TestFrames.aacRaw(100, 2),
                TestFrames.avcInter(200, 3))) {
            payloadBytes += payload.readableBytes();
            payload.release();
        }
        publishSomeMedia();
        StreamSnapshot s = stream.snapshot();
        assertEquals(List.of(5L, payloadBytes), List.of(s.framesIn(), s.bytesIn()));
    }

    @Test
    void theQueryIsNotInTheSnapshot() {
        stream.attach(publisher);
        stream.query("token=Sekr3t");
        assertFalse(stream.snapshot().toString().contains("Sekr3t"), stream.snapshot()::toString);
    }
}
