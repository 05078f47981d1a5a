package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.SourceMessages;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** Data messages kept before the first frame: a few in practice. */
    private static final int MAX_HELD = 16;

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
    private final OriginRace race;
    /**
     * Data the current origin sent before its first frame (metadata, |RtmpSampleAccess), fed with
     * that frame: an origin that loses the race to another never reaches the stream.
     */
    private final List<PayloadMessage> held = new ArrayList<>();

    UpstreamPull(LiveStream stream, UpstreamContext context) {
        super(stream, context, log, "pull", Role.UPSTREAM_PULL, UpstreamClientHandler.Mode.PLAY);
        this.race = new OriginRace(new RaceOwner(), stream.loop(), context);
    }

    @Override
    void attemptStarted() {
        race.begin();
    }

    @Override
    boolean awaitOtherAsks() {
        return race.currentFailed();
    }

    @Override
    void closeAsks() {
        race.close();
    }

    /** What the race of this pull's origins needs from it. */
    private final class RaceOwner implements OriginRace.Owner {
        @Override
        public String key() {
            return stream.key().toString();
        }

        @Override
        public List<OriginAddress> otherCandidates(int max) {
            return UpstreamPull.this.otherCandidates(max);
        }

        @Override
        public boolean currentOpen() {
            return currentAttemptOpen();
        }

        @Override
        public Channel connect(OriginAddress origin, RtmpClientHandler client, UpstreamClientHandler.Events events) {
            return context.connector()
                    .connect(stream.loop(), origin, client, Role.UPSTREAM_PULL)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            events.failed("connect failed: " + f.cause().getMessage());
                        }
                    })
                    .channel();
        }

        @Override
        public RtmpClientHandler client(OriginAddress origin, UpstreamClientHandler.Events events) {
            return newClient(origin, events);
        }

        @Override
        public UpstreamClientHandler.Events adopt(OriginAddress winner, Channel ch, int streamId) {
            return UpstreamPull.this.adopt(winner, ch, streamId);
        }

        @Override
        public void askFailed(OriginAddress origin, String reason, boolean handshook) {
            UpstreamPull.this.askFailed(origin, reason, handshook);
        }

        @Override
        public void asksEnded(OriginAddress lastAsked, String reason) {
            UpstreamPull.this.asksEnded(lastAsked, reason);
        }
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
        begin();
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
        if (message instanceof DataMessage && !established()) {
            if (held.size() < MAX_HELD) {
                held.add(message.retainedDuplicate());
            }
            return;
        }
        if (audioVideo && !established()) {
            race.currentWon();
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
            for (PayloadMessage data : held) {
                feed(data);
            }
            releaseHeld();
        }
        feed(message);
    }

    private void feed(PayloadMessage message) {
        SourceMessages.feed(
                stream,
                this,
                message,
                ByteBufAllocator.DEFAULT,
                context.connector().amfLimits());
    }

    private void releaseHeld() {
        held.forEach(PayloadMessage::release);
        held.clear();
    }

    @Override
    void lost() {
        releaseHeld();
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
