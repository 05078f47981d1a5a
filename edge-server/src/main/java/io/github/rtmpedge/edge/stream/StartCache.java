package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a player joining a running stream needs first, kept by the stream: the metadata, the latest
 * video and audio sequence headers, and the GOP since the last keyframe. Holds one reference to
 * each frame it keeps. Confined to the stream's loop.
 */
final class StartCache {

    private final GopCache gop;
    private MediaFrame metadata;
    private MediaFrame videoHeader;
    private MediaFrame audioHeader;

    StartCache(boolean gopCache, long gopCacheMaxBytes, LongAdder allCaches) {
        this.gop = new GopCache(gopCache, gopCacheMaxBytes, allCaches);
    }

    /** Keeps {@code frame} (retained here) as the stream's metadata, replacing the previous one. */
    void metadata(MediaFrame frame) {
        MediaFrame old = metadata;
        metadata = frame.retain();
        release(old);
    }

    /** Keeps {@code frame} (retained here) as the latest sequence header of its kind. */
    void sequenceHeader(MediaFrame frame) {
        MediaFrame old;
        if (frame.kind() == MediaFrame.Kind.VIDEO) {
            old = videoHeader;
            videoHeader = frame.retain();
        } else {
            old = audioHeader;
            audioHeader = frame.retain();
        }
        release(old);
    }

    /** A media frame for the GOP cache (which retains it if it keeps it). */
    void media(MediaFrame frame) {
        gop.add(frame);
    }

    /** Metadata, video header, audio header, then the GOP: the cache's own references (retain to keep). */
    MediaFrame[] startFrames() {
        List<MediaFrame> start = new ArrayList<>(gop.size() + 3);
        addIfPresent(start, metadata);
        addIfPresent(start, videoHeader);
        addIfPresent(start, audioHeader);
        gop.forEach(start::add);
        return start.toArray(new MediaFrame[0]);
    }

    /** Frames in the GOP cache. */
    int gopFrames() {
        return gop.size();
    }

    /** Bytes in the GOP cache. */
    long gopBytes() {
        return gop.bytes();
    }

    /** Releases everything (a new source session, or the stream closed). */
    void clear() {
        gop.clear();
        release(metadata);
        release(videoHeader);
        release(audioHeader);
        metadata = null;
        videoHeader = null;
        audioHeader = null;
    }

    private static void addIfPresent(List<MediaFrame> frames, MediaFrame f) {
        if (f != null) {
            frames.add(f);
        }
    }

    private static void release(MediaFrame f) {
        if (f != null) {
            f.release();
        }
    }
}
