package io.github.rtmpedge.edge.stream;

import static io.github.rtmpedge.edge.stream.TestFrames.audio;
import static io.github.rtmpedge.edge.stream.TestFrames.inter;
import static io.github.rtmpedge.edge.stream.TestFrames.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GopCacheTest {

    /** Frames the test created; each holds the test's own reference until {@link #release()}. */
    private final List<MediaFrame> created = new ArrayList<>();

    private GopCache cache;

    private MediaFrame track(MediaFrame f) {
        created.add(f);
        return f;
    }

    @AfterEach
    void release() {
        if (cache != null) {
            cache.clear();
        }
        created.forEach(MediaFrame::release);
    }

    private List<MediaFrame> contents() {
        List<MediaFrame> out = new ArrayList<>();
        cache.forEach(out::add);
        return out;
    }

    @Test
    void framesBeforeTheFirstKeyframeAreNotCached() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        cache.add(track(inter(0, 100)));
        cache.add(track(audio(10, 50)));
        assertEquals(0, cache.size());
    }

    @Test
    void cachingStartsAtAKeyframeAndKeepsWhatFollows() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        cache.add(track(inter(0, 100)));
        MediaFrame k = track(key(40, 1000));
        MediaFrame a = track(audio(50, 50));
        MediaFrame p = track(inter(80, 100));
        cache.add(k);
        cache.add(a);
        cache.add(p);
        assertEquals(List.of(k, a, p), contents());
    }

    @Test
    void bytesCountWireLengths() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        MediaFrame k = track(key(0, 1000));
        MediaFrame p = track(inter(40, 100));
        cache.add(k);
        cache.add(p);
        assertEquals((long) k.wireLength() + p.wireLength(), cache.bytes());
    }

    @Test
    void nextKeyframeClearsTheOldGop() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        MediaFrame k1 = track(key(0, 1000));
        MediaFrame p1 = track(inter(40, 100));
        cache.add(k1);
        cache.add(p1);
        MediaFrame k2 = track(key(2000, 1000));
        cache.add(k2);
        assertEquals(List.of(k2), contents());
        assertEquals(1, k1.refCnt()); // the cache let go of its reference: only the test's remains
    }

    @Test
    void gopOverTheByteBoundIsDroppedAndCachingResumesAtTheNextKeyframe() {
        MediaFrame k1 = track(key(0, 1000));
        MediaFrame p1 = track(inter(40, 1000));
        // room for one 1000-byte frame and a bit: the second overflows
        cache = new GopCache(true, k1.wireLength() + 10, new LongAdder());
        cache.add(k1);
        cache.add(p1);
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
        cache.add(track(inter(80, 10))); // would fit, but the GOP is broken: not cached
        assertEquals(0, cache.size());
        MediaFrame k2 = track(key(2000, 1000));
        cache.add(k2);
        assertEquals(List.of(k2), contents());
    }

    @Test
    void disabledCacheHoldsNothing() {
        cache = new GopCache(false, 1 << 20, new LongAdder());
        MediaFrame k = track(key(0, 1000));
        cache.add(k);
        cache.add(track(inter(40, 100)));
        assertEquals(0, cache.size());
        assertEquals(1, k.refCnt());
    }

    @Test
    void clearReleasesEveryCachedFrame() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        MediaFrame k = track(key(0, 1000));
        MediaFrame p = track(inter(40, 100));
        cache.add(k);
        cache.add(p);
        assertEquals(2, k.refCnt());
        cache.clear();
        assertEquals(List.of(1, 1, 0, 0L), List.of(k.refCnt(), p.refCnt(), cache.size(), cache.bytes()));
    }

    @Test
    void cachedFrameIsTheSameInstanceNotACopy() {
        cache = new GopCache(true, 1 << 20, new LongAdder());
        MediaFrame k = track(key(0, 1000));
        cache.add(k);
        assertSame(k, contents().get(0));
    }
}
