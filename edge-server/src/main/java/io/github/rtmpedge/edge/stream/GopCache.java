package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The frames since the last video keyframe, so that a player joining a running stream starts
 * decoding at once (SRS's gop_cache). Bounded in bytes: a GOP that outgrows the bound is dropped
 * and caching resumes at the next keyframe.
 */
final class GopCache {

    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private final boolean enabled;
    private final long maxBytes;
    private long bytes;
    /** True from a keyframe on, false before the first one and after an overflow. */
    private boolean caching;

    /** Bytes cached by every stream's cache: read off the loops (the metrics scrape), so an atomic. */
    private final LongAdder allCaches;

    GopCache(boolean enabled, long maxBytes, LongAdder allCaches) {
        this.enabled = enabled;
        this.maxBytes = maxBytes;
        this.allCaches = allCaches;
    }

    /** Offers a live frame (not a sequence header or metadata); keeps its own reference if cached. */
    void add(MediaFrame frame) {
        if (!enabled) {
            return;
        }
        if (frame.kind() == MediaFrame.Kind.VIDEO && frame.keyframe()) {
            clear();
            caching = true;
        } else if (!caching) {
            return;
        }
        if (bytes + frame.wireLength() > maxBytes) {
            clear(); // a GOP this large is not worth replaying; wait for the next keyframe
            return;
        }
        frames.add(frame.retain());
        bytes += frame.wireLength();
        allCaches.add(frame.wireLength());
    }

    /** Drops everything, e.g. when a new source session starts. */
    void clear() {
        for (MediaFrame f; (f = frames.poll()) != null; ) {
            f.release();
        }
        allCaches.add(-bytes);
        bytes = 0;
        caching = false;
    }

    void forEach(Consumer<MediaFrame> action) {
        frames.forEach(action);
    }

    int size() {
        return frames.size();
    }

    long bytes() {
        return bytes;
    }
}
