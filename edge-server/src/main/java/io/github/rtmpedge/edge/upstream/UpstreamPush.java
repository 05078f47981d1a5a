package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.PublishForwarder;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.delivery.Backlog;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.edge.stream.delivery.DeliveryListener;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
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
final class UpstreamPush extends UpstreamConnection implements PublishForwarder.Forward {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPush.class);

    private final String app;
    private final StreamName name;
    private Delivery subscriber;
    private long framesInAtLoss = -1;
    private long framesNotReplayed;
    /** When the origin last answered a ping, or accepted the publish. */
    private long lastPongNanos;

    private ScheduledFuture<?> pinger;

    UpstreamPush(LiveStream stream, UpstreamContext context, String app, StreamName name) {
        super(stream, context, log, "push", Role.UPSTREAM_PUSH, UpstreamClientHandler.Mode.PUBLISH);
        this.app = app;
        this.name = name;
    }

    void start() {
        stream.loop().execute(this::begin);
    }

    @Override
    public void stop() {
        stream.loop().execute(() -> {
            if (!stopped()) {
                stopNow();
                log.info(
                        "push {}: stopped forwarding to {} ({} frames could not be replayed after origin failures)",
                        stream.key(),
                        currentOrigin(),
                        framesNotReplayed);
            }
        });
    }

    @Override
    String app() {
        return app;
    }

    @Override
    String streamName() {
        return name.toString();
    }

    @Override
    String awaited() {
        return "Publish.Start";
    }

    @Override
    void started(Channel ch, int streamId) {
        establish();
        if (stream.closed()) {
            ch.close();
            return;
        }
        if (framesInAtLoss >= 0) {
            long during = stream.framesIn() - framesInAtLoss;
            long lost = Math.max(0, during - stream.cachedFrames());
            framesNotReplayed += lost;
            context.metrics().reconnected(Role.UPSTREAM_PUSH);
            log.info(
                    "push {}: forwarding to {} again; replaying {} cached frames, {} frames published during the outage"
                            + " were older than the last keyframe and are lost",
                    stream.key(),
                    currentOrigin(),
                    stream.cachedFrames(),
                    lost);
            framesInAtLoss = -1;
        } else {
            log.info("push {}: forwarding to origin {} (stream id {})", stream.key(), currentOrigin(), streamId);
        }
        // The origin's writes are merged like a player's (mw_latency): one write a merged write
        // instead of one per message, which was a third of a publish edge's CPU (profiled, 200
        // encoders). SRS's edge does alike: its forwarder sends what queued each time it wakes, at
        // most 500 ms apart. The replay buffer bounds the backlog.
        subscriber = new Delivery(
                ch.eventLoop(),
                new UpstreamFrameWriter(ch, streamId),
                new Backlog(
                        context.queueLengthMillis(),
                        Math.max(context.cluster().publishReplayMaxBytes(), 64 * 1024),
                        System::nanoTime),
                new DeliveryListener() {
                    @Override
                    public void sourceEnded(boolean notify) {
                        // the publisher left; the session stops this forward
                    }

                    @Override
                    public void tooSlow(String reason) {
                        ch.close(); // reconnects through the failure path
                    }

                    @Override
                    public void streamFailed(String reason) {
                        stop();
                    }
                },
                context.metrics().delivery(Role.UPSTREAM_PUSH),
                true,
                "push of " + stream.key() + " to " + currentOrigin());
        if (stream.subscribe(subscriber)) {
            context.metrics().up(Role.UPSTREAM_PUSH);
            lastPongNanos = System.nanoTime();
            schedulePing(ch);
        } else {
            subscriber = null;
            ch.close();
        }
    }

    /**
     * An origin that stops reading (hung: TCP open, nothing read) would only show when the socket
     * buffers fill, megabytes later. So the push pings it (a User Control Ping Request, which
     * nginx-rtmp and SRS answer) three times per stall_timeout; no answer for stall_timeout, and
     * the push gives it up and replays to the next origin.
     */
    private void schedulePing(Channel ch) {
        long stallNanos = context.cluster().stallTimeout().toNanos();
        pinger = stream.loop()
                .schedule(
                        () -> {
                            pinger = null;
                            long silent = System.nanoTime() - lastPongNanos;
                            if (silent >= stallNanos) {
                                context.metrics().stalled(Role.UPSTREAM_PUSH);
                                abandon("stalled: origin stopped reading (no answer to ping for "
                                        + TimeUnit.NANOSECONDS.toMillis(silent) + " ms)");
                                return;
                            }
                            ch.writeAndFlush(
                                    new UserControlMessage.PingRequest(System.currentTimeMillis() & 0xFFFFFFFFL));
                            schedulePing(ch);
                        },
                        stallNanos / 3,
                        TimeUnit.NANOSECONDS);
    }

    @Override
    void pong() {
        lastPongNanos = System.nanoTime();
    }

    @Override
    void writabilityChanged() {
        if (subscriber != null) {
            subscriber.writabilityChanged();
        }
    }

    @Override
    void lost() {
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        Delivery sub = subscriber;
        if (sub != null) {
            subscriber = null;
            context.metrics().down(Role.UPSTREAM_PUSH);
            sub.close();
            stream.unsubscribe(sub);
            sub.releaseAll();
        }
        if (!stopped() && framesInAtLoss < 0) {
            framesInAtLoss = stream.framesIn();
        }
    }
}
