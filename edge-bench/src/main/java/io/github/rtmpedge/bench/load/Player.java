package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.bootstrap.Bootstrap;

/**
 * A player: plays the stream and keeps, across its reconnects, the media timeline (how many
 * milliseconds of video timestamps it received since each connection's first keyframe), the
 * largest wall-clock gap between two media messages (also across a reconnect) and, per
 * connection, the time from connect to the first video keyframe.
 */
class Player extends RtmpClient {

    /** Slack in {@link #fed}: one frame interval at 10 fps. */
    static final long IN_FLIGHT_MILLIS = 100;

    /** Milliseconds of video timeline received on connections that have closed. */
    private volatile long closedTimelineMillis;
    /** This connection: timestamp of its first keyframe (-1: none yet) and its largest video timestamp. */
    private volatile long connectionBaseTimestamp = -1;

    private volatile long connectionMaxTimestamp;
    private volatile long firstKeyframeEverNanos;
    private volatile long lastMediaNanos;
    private volatile long maxGapNanos;

    private final String stream;

    Player(LoadOptions options, LoadStats stats, Bootstrap bootstrap) {
        this(options, stats, bootstrap, options.stream());
    }

    Player(LoadOptions options, LoadStats stats, Bootstrap bootstrap, String stream) {
        super(options, stats, bootstrap);
        this.stream = stream;
    }

    @Override
    RtmpClientConfig config() {
        return RtmpClientConfig.play(options.app(), options.tcUrl(), stream).build();
    }

    @Override
    public void media(RtmpClientHandler client, PayloadMessage msg) {
        if (msg instanceof VideoMessage v) {
            video(v.timestamp(), VideoTags.isKeyframe(v.content()), v.content().readableBytes());
        } else if (msg instanceof AudioMessage a) {
            audio(a.content().readableBytes());
        }
    }

    /** A video frame of {@code bytes} stamped {@code ts} arrived (on the connection's loop). */
    final void video(long ts, boolean keyframe, int bytes) {
        {
            long now = media(now(), bytes);
            if (connectionBaseTimestamp < 0) {
                if (keyframe) {
                    connectionBaseTimestamp = ts;
                    connectionMaxTimestamp = ts;
                    stats.firstKeyframeNanos.add(now - connectStartNanos);
                    if (firstKeyframeEverNanos == 0) {
                        firstKeyframeEverNanos = now;
                    }
                }
            } else if (ts > connectionMaxTimestamp) {
                connectionMaxTimestamp = ts;
            }
        }
    }

    /** An audio frame of {@code bytes} arrived. */
    final void audio(int bytes) {
        media(now(), bytes);
    }

    private static long now() {
        return System.nanoTime();
    }

    private long media(long now, int bytes) {
        stats.mediaBytes.add(bytes);
        long last = lastMediaNanos;
        if (last != 0 && now - last > maxGapNanos) {
            maxGapNanos = now - last;
        }
        lastMediaNanos = now;
        return now;
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer (the connection's loop); the reporter only reads
    void onClosed() {
        if (connectionBaseTimestamp >= 0) {
            closedTimelineMillis += connectionMaxTimestamp - connectionBaseTimestamp;
        }
        connectionBaseTimestamp = -1;
    }

    /** Playing now (the current connection got NetStream.Play.Start). */
    boolean connected() {
        return started;
    }

    /** Video timeline received since the first keyframe, over all connections. */
    long timelineMillis() {
        long base = connectionBaseTimestamp;
        return closedTimelineMillis + (base < 0 ? 0 : connectionMaxTimestamp - base);
    }

    /**
     * At least 95% of the wall-clock time since the first keyframe ever is covered by the timeline,
     * allowing {@link #IN_FLIGHT_MILLIS} for the frame that is due but not in yet.
     */
    boolean fed(long nowNanos) {
        long first = firstKeyframeEverNanos;
        if (first == 0) {
            return false;
        }
        double wallMillis = (nowNanos - first) / 1e6;
        return timelineMillis() + IN_FLIGHT_MILLIS >= 0.95 * wallMillis;
    }

    /** The largest gap between media messages, counting the one still open now (none before the first). */
    long maxGapNanos(long nowNanos) {
        long last = lastMediaNanos;
        return Math.max(maxGapNanos, last == 0 ? 0 : nowNanos - last);
    }
}
