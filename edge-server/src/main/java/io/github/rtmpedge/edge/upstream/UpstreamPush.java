package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.rtmp.ChannelSubscriber;
import io.github.rtmpedge.edge.rtmp.PublishForwarder;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish edge: forwards a stream published on this edge to an origin. The upstream connection
 * subscribes to the stream like a player, so that on every (re)connect it first sends the metadata,
 * the sequence headers and the GOP since the last keyframe (the bounded replay) and then the live
 * frames. If the origin fails, it reconnects to the next one with backoff while the encoder goes on
 * publishing to us undisturbed; what was published during the outage and is older than the last
 * keyframe cannot be replayed, and is counted and logged. Confined to the stream's event loop.
 */
final class UpstreamPush implements PublishForwarder.Forward {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPush.class);

    private final LiveStream stream;
    private final UpstreamContext context;
    private final String app;
    private final StreamName name;
    private final List<OriginAddress> order;
    private int next;
    private int failures;
    private long attempts;
    private OriginAddress origin;
    private Channel channel;
    private Attempt current;
    private ChannelSubscriber subscriber;
    private ScheduledFuture<?> timer;
    private boolean stopped;
    private long framesInAtLoss = -1;
    private long framesNotReplayed;
    private boolean attemptStarted;

    UpstreamPush(LiveStream stream, UpstreamContext context, String app, StreamName name) {
        this.stream = stream;
        this.context = context;
        this.app = app;
        this.name = name;
        this.order = context.pool().order(stream.key());
    }

    void start() {
        stream.loop().execute(this::attempt);
    }

    @Override
    public void stop() {
        stream.loop().execute(() -> {
            if (stopped) {
                return;
            }
            stopped = true;
            current = null;
            cancelTimer();
            unsubscribe();
            if (channel != null) {
                channel.close();
                channel = null;
            }
            log.info("push {}: stopped forwarding to {} ({} frames could not be replayed after origin failures)",
                    stream.key(), origin, framesNotReplayed);
        });
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        origin = order.get(next % order.size());
        attempts++;
        attemptStarted = false;
        String tcUrl = "rtmp://" + origin.host() + ":" + origin.port() + "/" + app;
        log.info("push {}: attempt {} to origin {}", stream.key(), attempts, origin);
        Attempt attempt = new Attempt();
        current = attempt;
        UpstreamClientHandler handler = new UpstreamClientHandler(UpstreamClientHandler.Mode.PUBLISH, app, tcUrl,
                name.toString(), context.chunkSize(), attempt);
        channel = context.connector().connect(stream.loop(), origin, handler, EdgeMetrics.Role.UPSTREAM_PUSH).addListener(f -> {
            if (!f.isSuccess()) {
                attempt.failed("connect failed: " + f.cause().getMessage());
            }
        }).channel();
        long budget = context.cluster().connectTimeout().plus(context.cluster().playTimeout()).toMillis();
        cancelTimer();
        timer = stream.loop().schedule(() -> {
            timer = null;
            if (attempt == current && subscriber == null) {
                Channel timedOut = channel;
                attempt.failed("no Publish.Start within " + budget + " ms (connect_timeout + play_timeout)");
                if (timedOut != null) {
                    timedOut.close();
                }
            }
        }, budget, TimeUnit.MILLISECONDS);
    }

    private final class Attempt implements UpstreamClientHandler.Events {
        @Override
        public void started(ChannelHandlerContext ctx, int streamId) {
            if (this != current || stopped) {
                ctx.close();
                return;
            }
            onStarted(ctx.channel(), streamId);
        }

        @Override
        public void media(PayloadMessage message) {
            // an origin sends nothing to a publisher that matters here
        }

        @Override
        public void failed(String reason) {
            if (this == current) {
                current = null;
                onFailed(reason);
            }
        }

        @Override
        public void writabilityChanged() {
            if (this == current && subscriber != null) {
                subscriber.writabilityChanged();
            }
        }
    }

    private void onStarted(Channel ch, int streamId) {
        cancelTimer();
        failures = 0;
        context.pool().succeeded(origin);
        attemptStarted = true;
        context.metrics().upstreamAttempt(EdgeMetrics.Role.UPSTREAM_PUSH, origin.toString(), EdgeMetrics.Outcome.SUCCESS);
        if (stream.closed()) {
            ch.close();
            return;
        }
        if (framesInAtLoss >= 0) {
            long during = stream.framesIn() - framesInAtLoss;
            long lost = Math.max(0, during - stream.cachedFrames());
            framesNotReplayed += lost;
            context.metrics().upstreamReconnected(EdgeMetrics.Role.UPSTREAM_PUSH);
            log.info("push {}: forwarding to {} again; replaying {} cached frames, {} frames published during the outage"
                    + " were older than the last keyframe and are lost", stream.key(), origin, stream.cachedFrames(), lost);
            framesInAtLoss = -1;
        } else {
            log.info("push {}: forwarding to origin {} (stream id {})", stream.key(), origin, streamId);
        }
        subscriber = new ChannelSubscriber(ch, streamId, context.queueLengthMillis(),
                Math.max(context.cluster().publishReplayMaxBytes(), 64 * 1024), "push of " + stream.key() + " to " + origin,
                new ChannelSubscriber.Listener() {
                    @Override
                    public void sourceEnded(boolean notify) {
                        // the publisher left; the session stops this forward
                    }

                    @Override
                    public void tooSlow(String reason) {
                        ch.close(); // reconnects through onFailed
                    }

                    @Override
                    public void streamFailed(String reason) {
                        stop();
                    }
                }, context.metrics().subscriber(EdgeMetrics.Role.UPSTREAM_PUSH));
        if (stream.subscribe(subscriber)) {
            context.metrics().upstreamUp(EdgeMetrics.Role.UPSTREAM_PUSH);
        } else {
            subscriber = null;
            ch.close();
        }
    }

    private void onFailed(String reason) {
        if (!attemptStarted) { // an attempt that got to Publish.Start was counted as a success
            context.metrics().upstreamAttempt(EdgeMetrics.Role.UPSTREAM_PUSH, origin.toString(), EdgeMetrics.Outcome.FAILURE);
        }
        channel = null;
        cancelTimer();
        unsubscribe();
        if (stopped) {
            return;
        }
        if (framesInAtLoss < 0) {
            framesInAtLoss = stream.framesIn();
        }
        failures++;
        next++;
        Duration delay = context.backoff().delay(failures);
        context.pool().failed(origin, TimeUnit.MILLISECONDS.toNanos(Math.max(delay.toMillis(), 1000)));
        OriginAddress upcoming = order.get(next % order.size());
        log.warn("push {}: origin {} failed: {}; retrying with {} in {} ms ({} consecutive failures)", stream.key(),
                origin, reason, upcoming, delay.toMillis(), failures);
        timer = stream.loop().schedule(() -> {
            timer = null;
            attempt();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void unsubscribe() {
        ChannelSubscriber sub = subscriber;
        if (sub != null) {
            subscriber = null;
            context.metrics().upstreamDown(EdgeMetrics.Role.UPSTREAM_PUSH);
            sub.close();
            stream.unsubscribe(sub);
            sub.releaseAll();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
