package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.SourceMessages;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one upstream connection of a play edge's stream: pulls it from an origin and feeds it to the
 * stream as its source. On failure (connect, handshake, timeout, StreamNotFound, connection lost) it
 * moves to the next origin after a backoff; players stay attached meanwhile, and the stream rebases
 * the next session's timestamps. Confined to the stream's event loop.
 */
final class UpstreamPull extends UpstreamConnection implements LiveStream.Source {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPull.class);

    private ScheduledFuture<?> idleClose;
    private boolean attached;
    private boolean everFlowed;
    private long lostSinceNanos = -1;
    /** When the current origin last sent media, or Play.Start before the first. */
    private long lastMediaNanos;

    private boolean mediaSinceStart;
    private ScheduledFuture<?> stallCheck;
    private long originSinceMillis;
    private long failovers;

    UpstreamPull(LiveStream stream, UpstreamContext context) {
        super(stream, context, log, "pull", Role.UPSTREAM_PULL, UpstreamClientHandler.Mode.PLAY);
    }

    @Override
    public String describe() {
        return "upstream pull from " + origin();
    }

    @Override
    public String kind() {
        return "upstream_pull";
    }

    @Override
    public long originSinceMillis() {
        return originSinceMillis;
    }

    @Override
    public long failovers() {
        return failovers;
    }

    @Override
    public String origin() {
        return currentOrigin() == null ? "" : currentOrigin().toString();
    }

    void start() {
        attempt();
    }

    /** The last player left: stop after the idle delay unless one comes back. */
    void scheduleIdleClose(Duration delay, Runnable onClose) {
        cancelIdleClose();
        idleClose = stream.loop()
                .schedule(
                        () -> {
                            idleClose = null;
                            log.info(
                                    "pull {}: no players for {} ms, closing the upstream",
                                    stream.key(),
                                    delay.toMillis());
                            onClose.run();
                        },
                        delay.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    void cancelIdleClose() {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
    }

    void stop() {
        cancelIdleClose();
        stopNow();
    }

    @Override
    String app() {
        return stream.key().app();
    }

    @Override
    String streamName() {
        return stream.key().name() + (stream.query().isEmpty() ? "" : "?" + stream.query());
    }

    @Override
    String awaited() {
        return "media";
    }

    @Override
    void started(Channel ch, int streamId) {
        log.info("pull {}: origin {} started playing (stream id {})", stream.key(), currentOrigin(), streamId);
        if (!stream.attach(this)) {
            log.info("pull {}: stream has another source now; closing the upstream", stream.key());
            stopNow();
            return;
        }
        attached = true;
        context.metrics().up(Role.UPSTREAM_PULL);
        lastMediaNanos = System.nanoTime();
        mediaSinceStart = false;
        armStallCheck(context.cluster().stallTimeout().toNanos());
    }

    /**
     * stall_timeout: an origin that sends no media for that long, whether it never started (nginx
     * answers Play.Start for any name) or hung, is given up for the next one. One timer per pull,
     * re-armed for the time left rather than on every message.
     */
    private void armStallCheck(long inNanos) {
        stallCheck = stream.loop()
                .schedule(
                        () -> {
                            stallCheck = null;
                            long silent = System.nanoTime() - lastMediaNanos;
                            long limit = context.cluster().stallTimeout().toNanos();
                            if (silent < limit) {
                                armStallCheck(limit - silent);
                                return;
                            }
                            context.metrics().stalled(Role.UPSTREAM_PULL);
                            abandon("stalled: no media for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms "
                                    + (mediaSinceStart
                                            ? "(origin went silent)"
                                            : "after Play.Start (stream not there?)"));
                        },
                        inNanos,
                        TimeUnit.NANOSECONDS);
    }

    @Override
    void media(PayloadMessage message) {
        context.metrics().messageReceived(Role.UPSTREAM_PULL);
        if (!attached) {
            return;
        }
        // Only audio and video count as the stream being there: nginx sends |RtmpSampleAccess
        // after Play.Start for any name, published or not.
        boolean audioVideo = message instanceof AudioMessage || message instanceof VideoMessage;
        if (audioVideo) {
            lastMediaNanos = System.nanoTime();
            mediaSinceStart = true;
        }
        if (audioVideo && !established()) {
            establish();
            originSinceMillis = System.currentTimeMillis();
            if (everFlowed) {
                failovers++;
                context.metrics().reconnected(Role.UPSTREAM_PULL);
                log.info(
                        "pull {}: media flowing again from {} after {} ms without",
                        stream.key(),
                        currentOrigin(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostSinceNanos));
            } else {
                log.info("pull {}: media flowing from {}", stream.key(), currentOrigin());
            }
            everFlowed = true;
            lostSinceNanos = -1;
        }
        SourceMessages.feed(
                stream,
                this,
                message,
                ByteBufAllocator.DEFAULT,
                context.connector().amfLimits());
    }

    @Override
    void lost() {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        if (attached) {
            attached = false;
            context.metrics().down(Role.UPSTREAM_PULL);
            stream.detach(this, false);
        }
    }

    /** upstream_lost_timeout: players of a stream whose upstream stays away this long are dropped. */
    @Override
    boolean giveUp(String reason) {
        if (lostSinceNanos < 0) {
            lostSinceNanos = System.nanoTime();
        }
        long lostMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostSinceNanos);
        Duration limit = context.cluster().upstreamLostTimeout();
        if (limit.isZero() || lostMillis < limit.toMillis()) {
            return false;
        }
        log.warn(
                "pull {}: origin {} failed: {}; upstream unavailable for {} ms, dropping the players",
                stream.key(),
                currentOrigin(),
                reason,
                lostMillis);
        stream.failPlayers("upstream unavailable for " + lostMillis + " ms");
        return true;
    }
}
