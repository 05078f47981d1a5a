package io.github.rtmpedge.edge.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live streams by key. A stream is created on the event loop of the connection that first asks
 * for it and removes itself when it has neither source nor players.
 */
public final class StreamRegistry {

    private final ConcurrentMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
    private final ByteBufAllocator alloc;
    private final int chunkSize;
    private final boolean gopCache;
    private final long gopCacheMaxBytes;
    private volatile SourceSupervisor supervisor = SourceSupervisor.LOCAL;
    private volatile long mergeNanos;
    private final LongAdder cachedBytes = new LongAdder();

    public StreamRegistry(ByteBufAllocator alloc, int chunkSize, boolean gopCache, long gopCacheMaxBytes) {
        this.alloc = alloc;
        this.chunkSize = chunkSize;
        this.gopCache = gopCache;
        this.gopCacheMaxBytes = gopCacheMaxBytes;
    }

    public void supervisor(SourceSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * Merged write ({@code mw_latency}): how long players' media may wait to be written with what
     * follows; zero = at once. Applies from the next batch on, to every stream.
     */
    public void mergedWriteLatency(java.time.Duration latency) {
        this.mergeNanos = latency.toNanos();
    }

    /** The chunk size every shared frame uses; each player connection must announce it. */
    public int chunkSize() {
        return chunkSize;
    }

    /** The stream for {@code key}, created on {@code loop} if there is none. */
    public LiveStream getOrCreate(StreamKey key, EventLoop loop) {
        return streams.computeIfAbsent(
                key,
                k -> new LiveStream(
                        k,
                        loop,
                        new FrameEncoder(alloc, chunkSize),
                        supervisor,
                        gopCache,
                        gopCacheMaxBytes,
                        cachedBytes,
                        () -> mergeNanos,
                        this::remove));
    }

    public LiveStream get(StreamKey key) {
        return streams.get(key);
    }

    public Collection<LiveStream> streams() {
        return Collections.unmodifiableCollection(streams.values());
    }

    /** Bytes held by the GOP caches of all streams; from any thread. */
    public long cachedBytes() {
        return cachedBytes.sum();
    }

    public int size() {
        return streams.size();
    }

    private void remove(LiveStream stream) {
        streams.remove(stream.key(), stream);
    }
}
