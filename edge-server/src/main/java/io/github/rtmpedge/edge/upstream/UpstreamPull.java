package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.stream.DataFrames;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.rtmp.flv.AggregateSplitter;
import io.github.rtmpedge.rtmp.message.AggregateMessage;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
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
final class UpstreamPull implements LiveStream.Source {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPull.class);

    private final LiveStream stream;
    private final UpstreamContext context;
    private final List<OriginAddress> order;
    private int next;
    private int failures;
    private long attempts;
    private OriginAddress origin;
    private Channel channel;
    private Attempt current;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> idleClose;
    private boolean stopped;
    private boolean attached;
    private boolean mediaSeen;
    private boolean everFlowed;
    private long lostSinceNanos = -1;

    UpstreamPull(LiveStream stream, UpstreamContext context) {
        this.stream = stream;
        this.context = context;
        this.order = context.pool().order(stream.key());
    }

    @Override
    public String describe() {
        return "upstream pull from " + origin;
    }

    @Override
    public String kind() {
        return "upstream_pull";
    }

    @Override
    public String origin() {
        return origin == null ? "" : origin.toString();
    }

    void start() {
        attempt();
    }

    /** The last player left: stop after the idle delay unless one comes back. */
    void scheduleIdleClose(Duration delay, Runnable onClose) {
        cancelIdleClose();
        idleClose = stream.loop().schedule(() -> {
            idleClose = null;
            log.info("pull {}: no players for {} ms, closing the upstream", stream.key(), delay.toMillis());
            onClose.run();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancelIdleClose() {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        current = null;
        cancelTimer();
        cancelIdleClose();
        if (channel != null) {
            channel.close();
            channel = null;
        }
        detach();
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        origin = order.get(next % order.size());
        attempts++;
        mediaSeen = false;
        String app = stream.key().app();
        String name = stream.key().name() + (stream.query().isEmpty() ? "" : "?" + stream.query());
        String tcUrl = "rtmp://" + origin.host() + ":" + origin.port() + "/" + app;
        log.info("pull {}: attempt {} to origin {}", stream.key(), attempts, origin);
        Attempt attempt = new Attempt();
        current = attempt;
        UpstreamClientHandler handler = new UpstreamClientHandler(UpstreamClientHandler.Mode.PLAY, app, tcUrl, name,
                context.chunkSize(), attempt);
        long started = System.nanoTime();
        channel = context.connector().connect(stream.loop(), origin, handler, EdgeMetrics.Role.UPSTREAM_PULL).addListener(f -> {
            if (!f.isSuccess()) {
                attempt.failed("connect failed: " + f.cause().getMessage());
            } else {
                log.debug("pull {}: connected to {} in {} ms", stream.key(), origin,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        }).channel();
        long budget = context.cluster().connectTimeout().plus(context.cluster().playTimeout()).toMillis();
        cancelTimer();
        timer = stream.loop().schedule(() -> {
            timer = null;
            if (!mediaSeen && attempt == current) {
                Channel timedOut = channel;
                attempt.failed("no media within " + budget + " ms (connect_timeout + play_timeout)");
                if (timedOut != null) {
                    timedOut.close();
                }
            }
        }, budget, TimeUnit.MILLISECONDS);
    }

    /** One connection attempt; events from an attempt that is no longer current are ignored. */
    private final class Attempt implements UpstreamClientHandler.Events {
        @Override
        public void started(ChannelHandlerContext ctx, int streamId) {
            if (this == current) {
                onStarted(ctx, streamId);
            } else {
                ctx.close();
            }
        }

        @Override
        public void media(PayloadMessage message) {
            if (this == current) {
                context.metrics().messageReceived(EdgeMetrics.Role.UPSTREAM_PULL);
                onMedia(message);
            }
        }

        @Override
        public void failed(String reason) {
            if (this == current) {
                current = null;
                onFailed(reason);
            }
        }
    }

    private void onStarted(ChannelHandlerContext ctx, int streamId) {
        if (stopped) {
            ctx.close();
            return;
        }
        log.info("pull {}: origin {} started playing (stream id {})", stream.key(), origin, streamId);
        if (!stream.attach(this)) {
            // a local publisher took the stream, or it closed
            log.info("pull {}: stream has another source now; closing the upstream", stream.key());
            stopped = true;
            current = null;
            cancelTimer();
            ctx.close();
            return;
        }
        attached = true;
        context.metrics().upstreamUp(EdgeMetrics.Role.UPSTREAM_PULL);
    }

    private void onMedia(PayloadMessage message) {
        if (!attached) {
            return;
        }
        if (!mediaSeen) {
            mediaSeen = true;
            cancelTimer();
            failures = 0;
            context.pool().succeeded(origin);
            context.metrics().upstreamAttempt(EdgeMetrics.Role.UPSTREAM_PULL, origin.toString(), EdgeMetrics.Outcome.SUCCESS);
            if (everFlowed) {
                context.metrics().upstreamReconnected(EdgeMetrics.Role.UPSTREAM_PULL);
                log.info("pull {}: media flowing again from {} after {} ms without", stream.key(), origin,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostSinceNanos));
            } else {
                log.info("pull {}: media flowing from {}", stream.key(), origin);
            }
            everFlowed = true;
            lostSinceNanos = -1;
        }
        if (message instanceof VideoMessage v) {
            stream.video(this, v.timestamp(), v.content());
        } else if (message instanceof AudioMessage a) {
            stream.audio(this, a.timestamp(), a.content());
        } else if (message instanceof DataMessage d) {
            DataFrames.feed(stream, this, d, ByteBufAllocator.DEFAULT,
                    context.connector().amfLimits());
        } else if (message instanceof AggregateMessage aggregate) {
            RawMessage raw = Messages.encode(aggregate, ByteBufAllocator.DEFAULT);
            try {
                AggregateSplitter.split(raw, sub -> {
                    try {
                        if (sub.typeId() == MessageType.VIDEO) {
                            stream.video(this, sub.timestamp(), sub.content());
                        } else if (sub.typeId() == MessageType.AUDIO) {
                            stream.audio(this, sub.timestamp(), sub.content());
                        }
                    } finally {
                        sub.release();
                    }
                });
            } finally {
                raw.release();
            }
        }
    }

    private void onFailed(String reason) {
        if (!mediaSeen) { // an attempt that got media flowing was counted as a success
            context.metrics().upstreamAttempt(EdgeMetrics.Role.UPSTREAM_PULL, origin.toString(), EdgeMetrics.Outcome.FAILURE);
        }
        channel = null;
        cancelTimer();
        detach();
        if (stopped) {
            return;
        }
        failures++;
        next++;
        Duration delay = context.backoff().delay(failures);
        context.pool().failed(origin, TimeUnit.MILLISECONDS.toNanos(Math.max(delay.toMillis(), 1000)));
        if (lostSinceNanos < 0) {
            lostSinceNanos = System.nanoTime();
        }
        long lostMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostSinceNanos);
        Duration giveUp = context.cluster().upstreamLostTimeout();
        if (!giveUp.isZero() && lostMillis >= giveUp.toMillis()) {
            log.warn("pull {}: origin {} failed: {}; upstream unavailable for {} ms, dropping the players", stream.key(),
                    origin, reason, lostMillis);
            stopped = true;
            stream.failPlayers("upstream unavailable for " + lostMillis + " ms");
            return;
        }
        OriginAddress upcoming = order.get(next % order.size());
        log.warn("pull {}: origin {} failed: {}; retrying with {} in {} ms ({} consecutive failures)", stream.key(), origin,
                reason, upcoming, delay.toMillis(), failures);
        timer = stream.loop().schedule(() -> {
            timer = null;
            attempt();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void detach() {
        if (attached) {
            attached = false;
            context.metrics().upstreamDown(EdgeMetrics.Role.UPSTREAM_PULL);
            stream.detach(this, false);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
