package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.edge.stream.delivery.LoopFanOut;
import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.github.rtmpedge.edge.stream.delivery.Subscriber;
import io.github.rtmpedge.rtmp.flv.AudioTags;
import io.github.rtmpedge.rtmp.flv.CodecDetails;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream: a source (a local publisher or an upstream pull) and its players.
 *
 * <p>Confined to one event loop: every method must be called on {@link #loop()}. Each message from
 * the source is chunked once ({@link FrameEncoder}) and the same buffer goes to every player. The
 * metadata, the sequence headers and the GOP since the last keyframe are kept so that a player
 * joining a running stream starts on a keyframe at once.
 */
public final class LiveStream {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    /** Where media comes from: a publisher's session or an upstream pull. */
    public interface Source {
        String describe();

        /** For the operator's API: {@code publisher} or {@code upstream_pull}. */
        default String kind() {
            return "publisher";
        }

        /** For the operator's API: the publisher's or the origin's {@code host:port}, never a query. */
        default String origin() {
            return "";
        }

        /** For the operator's API: the client id of a local publisher; empty for an upstream. */
        default String clientId() {
            return "";
        }

        /** For the operator's API: the publisher's tcUrl (or the origin's URL), without a query. */
        default String tcUrl() {
            return "";
        }

        /** For the operator's API: since when (Unix ms) media has come from {@link #origin()}; 0 if not yet. */
        default long originSinceMillis() {
            return 0;
        }

        /** For the operator's API: how often an upstream moved to another origin or came back. */
        default long failovers() {
            return 0;
        }
    }

    /** Ids of streams for the API: unique while the server runs, short, not guessable from the name. */
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    private final String id = "vid-" + Long.toString(0x10000000L + IDS.incrementAndGet(), 36);

    private final StreamKey key;
    private final EventLoop loop;
    private final FrameEncoder encoder;
    private final SourceSupervisor supervisor;
    private final Consumer<LiveStream> onClosed;
    private final StartCache cache;
    private final Timeline timeline = new Timeline();
    private final List<Subscriber> subscribers = new ArrayList<>();
    /** The subscribers by the loop they live on. */
    private final List<LoopFanOut> groups = new ArrayList<>(4);

    private final LongSupplier mergeNanos;

    private Source source;
    private String query = "";
    private boolean closed;
    private long sessions;
    private final StreamStats stats = new StreamStats();
    // For the operator's API (snapshot()): rates, bytes handed to players, codecs of this session.

    LiveStream(
            StreamKey key,
            EventLoop loop,
            FrameEncoder encoder,
            SourceSupervisor supervisor,
            boolean gopCache,
            long gopCacheMaxBytes,
            LongAdder allCaches,
            LongSupplier mergeNanos,
            Consumer<LiveStream> onClosed) {
        this.key = key;
        this.mergeNanos = mergeNanos;
        this.loop = loop;
        this.encoder = encoder;
        this.supervisor = supervisor;
        this.onClosed = onClosed;
        this.cache = new StartCache(gopCache, gopCacheMaxBytes, allCaches);
    }

    public StreamKey key() {
        return key;
    }

    /** The stream's id in the operator's API; any thread. */
    public String id() {
        return id;
    }

    public EventLoop loop() {
        return loop;
    }

    /** The query of the request that created or last fed the stream ({@code token=…}), without '?'. */
    public String query() {
        return query;
    }

    public void query(String query) {
        this.query = query == null ? "" : query;
    }

    public boolean closed() {
        return closed;
    }

    public Source source() {
        return source;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    public long framesIn() {
        return stats.framesIn();
    }

    public long bytesIn() {
        return stats.bytesIn();
    }

    public long ageNanos() {
        return stats.ageNanos();
    }

    /**
     * Makes {@code s} the source. Fails if another source is attached or the stream has closed. A
     * new source starts a new session: the caches are cleared and timestamps continue after the
     * last ones the players got.
     */
    public boolean attach(Source s) {
        if (closed || source != null) {
            return false;
        }
        source = s;
        sessions++;
        timeline.newSession();
        clearCaches();
        stats.forgetCodecs();
        log.info("stream {} source attached: {} (session {})", key, s.describe(), sessions);
        return true;
    }

    /** Detaches {@code s} if it is the source. {@code notifyPlayers}: tell players the stream stopped. */
    public void detach(Source s, boolean notifyPlayers) {
        if (source != s) {
            return;
        }
        source = null;
        stats.forgetCodecs();
        log.info(
                "stream {} source detached: {} after {} frames, {} bytes",
                key,
                s.describe(),
                stats.framesIn(),
                stats.bytesIn());
        for (LoopFanOut group : List.copyOf(groups)) {
            group.sourceEnded(notifyPlayers);
        }
        closeIfUnused();
    }

    /** An audio message from the source; {@code payload} is not released. */
    public void audio(Source s, long timestamp, ByteBuf payload) {
        if (s != source || closed) {
            return;
        }
        boolean header = AudioTags.isSequenceHeader(payload);
        if (header) {
            stats.audioCodec(AudioTags.audioCodec(payload));
            stats.aac(CodecDetails.aac(payload));
        }
        publish(MediaFrame.Kind.AUDIO, timestamp, false, header, payload);
    }

    /** A video message from the source; {@code payload} is not released. */
    public void video(Source s, long timestamp, ByteBuf payload) {
        if (s != source || closed) {
            return;
        }
        boolean header = VideoTags.isSequenceHeader(payload);
        boolean key = !header && VideoTags.isKeyframe(payload);
        if (header) {
            stats.videoCodec(VideoTags.videoCodec(payload));
            stats.avc(CodecDetails.avc(payload));
        } else {
            stats.videoFrame();
        }
        publish(MediaFrame.Kind.VIDEO, timestamp, key, header, payload);
    }

    /**
     * A data message from the source, AMF0 encoded. {@code metadata}: it is the stream's
     * {@code onMetaData} (already unwrapped from {@code @setDataFrame}), kept for late joiners.
     */
    public void data(Source s, long timestamp, ByteBuf payload, boolean metadata) {
        if (s != source || closed) {
            return;
        }
        stats.in(payload.readableBytes());
        long ts = timeline.mapUnordered(timestamp);
        MediaFrame frame = encoder.encode(MediaFrame.Kind.DATA, ts, false, metadata, payload);
        if (metadata) {
            cache.metadata(frame);
        }
        fanOut(frame);
    }

    private void publish(MediaFrame.Kind kind, long timestamp, boolean keyframe, boolean header, ByteBuf payload) {
        stats.in(payload.readableBytes());
        long ts = header
                ? timeline.mapUnordered(timestamp)
                : timeline.map(kind, timestamp, kind == MediaFrame.Kind.VIDEO ? VideoTags.compositionTime(payload) : 0);
        MediaFrame frame = encoder.encode(kind, ts, keyframe, header, payload);
        if (header) {
            cache.sequenceHeader(frame);
        } else {
            cache.media(frame);
        }
        fanOut(frame);
    }

    private void fanOut(MediaFrame frame) {
        try {
            for (int i = 0, n = groups.size(); i < n; i++) {
                groups.get(i).fanOut(frame);
            }
            stats.out((long) frame.wireLength() * subscribers.size());
        } finally {
            frame.release();
        }
    }

    /**
     * Adds a player and sends it what it needs to start: metadata, sequence headers, the cached GOP.
     * Returns false if the stream has closed (look it up again).
     */
    public boolean subscribe(Subscriber s) {
        if (closed) {
            return false;
        }
        subscribers.add(s);
        MediaFrame[] start = cache.startFrames();
        long handed = 0;
        for (MediaFrame f : start) {
            handed += f.wireLength();
        }
        group(s.loop()).join(s, start);
        stats.out(handed);
        log.info(
                "stream {} player joined: {} ({} players, {} cached frames)",
                key,
                s.describe(),
                subscribers.size(),
                cache.gopFrames());
        supervisor.playerJoined(this);
        return true;
    }

    public void unsubscribe(Subscriber s) {
        if (!subscribers.remove(s)) {
            return;
        }
        LoopFanOut group = group(s.loop());
        group.leave(s);
        if (group.size() == 0) {
            groups.remove(group);
        }
        log.info("stream {} player left: {} ({} players)", key, s.describe(), subscribers.size());
        if (subscribers.isEmpty()) {
            supervisor.noPlayers(this);
        }
        closeIfUnused();
    }

    private LoopFanOut group(EventLoop subscriberLoop) {
        for (int i = 0, n = groups.size(); i < n; i++) {
            if (groups.get(i).loop() == subscriberLoop) {
                return groups.get(i);
            }
        }
        LoopFanOut group = new LoopFanOut(subscriberLoop, mergeNanos);
        groups.add(group);
        return group;
    }

    /** The stream cannot be served (e.g. its upstream stayed unavailable): every player is told and dropped. */
    public void failPlayers(String reason) {
        for (LoopFanOut group : List.copyOf(groups)) {
            group.streamFailed(reason);
        }
    }

    /** Closes the stream if it has neither a source nor players. */
    public void closeIfUnused() {
        if (!closed && source == null && subscribers.isEmpty()) {
            close();
        }
    }

    private void close() {
        closed = true;
        clearCaches();
        supervisor.streamClosed(this);
        onClosed.accept(this);
        log.info("stream {} closed after {} ms, {} frames in", key, ageNanos() / 1_000_000, stats.framesIn());
    }

    private void clearCaches() {
        cache.clear();
    }

    /** The picture size the source's metadata announces (0 when absent); ignored from anyone but the source. */
    void videoSize(Source s, int width, int height) {
        if (s == source && !closed) {
            stats.videoSize(width, height);
        }
    }

    /** Bytes (chunked) handed to the players: each frame once per player it went to. */
    public long bytesOut() {
        return stats.bytesOut();
    }

    /** The operator's view of this stream, without its query. Call on {@link #loop()}. */
    public StreamSnapshot snapshot() {
        Source s = source;
        return stats.snapshot(
                id,
                key,
                s == null ? "none" : s.kind(),
                s == null ? "" : s.origin(),
                s == null ? "" : s.clientId(),
                s == null ? "" : s.tcUrl(),
                subscribers.size(),
                s == null ? 0 : s.originSinceMillis(),
                s == null ? 0 : s.failovers());
    }

    /** Frames and bytes held by the GOP cache. Call on {@link #loop()}. */
    public int cachedFrames() {
        return cache.gopFrames();
    }

    public long cachedBytes() {
        return cache.gopBytes();
    }

    @Override
    public String toString() {
        return "LiveStream(" + key + ")";
    }
}
