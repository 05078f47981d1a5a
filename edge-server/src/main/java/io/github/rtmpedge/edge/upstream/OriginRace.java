package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull's search for its stream among several origins at once. The current attempt (the preferred
 * origin: the hashed one, or the next in turn) gets a head start; if it has not delivered audio or
 * video by then, or fails before, the next candidates (not known to be unreachable, at most
 * parallel_asks - 1) are asked too, each its own connection and play. The first to deliver wins:
 * an ask that wins becomes the pull's connection ({@link Owner#adopt}), with the data it held before
 * its first frame; the others are closed and what they held released, so only the winner's messages
 * reach the stream. Confined to the stream's event loop, as every connection it opens.
 */
final class OriginRace {

    private static final Logger log = LoggerFactory.getLogger(OriginRace.class);

    /**
     * How long the preferred origin has alone. A healthy origin delivers its first frame within a
     * few round trips (connect, createStream, play) plus one frame interval, well under this on a
     * LAN or in a region, so it is normally the one kept and the others are never asked; an origin
     * that does not have the stream (nginx answers Play.Start for any name, then stays silent) costs
     * only this much instead of a whole stall_timeout. Asking all at once would double the load on
     * healthy origins for every new stream; waiting longer would cost players that time.
     */
    static final Duration HEAD_START = Duration.ofMillis(300);

    /** Data messages an ask keeps before its first frame (metadata, |RtmpSampleAccess): a few in practice. */
    private static final int MAX_HELD = 16;

    /** The pull that races: where a winner goes and failures are counted. */
    interface Owner {
        String key();

        /** The candidates after the current attempt's origin, at most {@code max}. */
        List<OriginAddress> otherCandidates(int max);

        /** Whether the current attempt is still open (it loses when an ask wins). */
        boolean currentOpen();

        /** Opens the connection of an ask; a failed connect is reported to {@code events}. */
        Channel connect(OriginAddress origin, RtmpClientHandler client, UpstreamClientHandler.Events events);

        /** The client of an ask: play the same stream, reporting to {@code events}. */
        RtmpClientHandler client(OriginAddress origin, UpstreamClientHandler.Events events);

        UpstreamClientHandler.Events adopt(OriginAddress winner, Channel ch, int streamId);

        void askFailed(OriginAddress origin, String reason, boolean handshook);

        void asksEnded(OriginAddress lastAsked, String reason);
    }

    private final Owner owner;
    private final EventLoop loop;
    private final UpstreamContext context;
    private final List<Ask> live = new ArrayList<>();
    private ScheduledFuture<?> headStart;
    private List<OriginAddress> pending = List.of();
    private OriginAddress lastAsked;
    private boolean launched;

    OriginRace(Owner owner, EventLoop loop, UpstreamContext context) {
        this.owner = owner;
        this.loop = loop;
        this.context = context;
    }

    /** A new attempt started: the other candidates are asked after the head start, if any. */
    void begin() {
        close();
        int others = context.cluster().parallelAsks() - 1;
        pending = others <= 0 ? List.of() : owner.otherCandidates(others);
        if (pending.isEmpty()) {
            return;
        }
        headStart = loop.schedule(
                () -> {
                    headStart = null;
                    launch("no media from the preferred origin after " + HEAD_START.toMillis() + " ms");
                },
                HEAD_START.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The current attempt failed: asks the others now if they were still waiting for the head start.
     * True when asks are running, so that the pull waits for them.
     */
    boolean currentFailed() {
        if (!launched && !pending.isEmpty()) {
            cancelHeadStart();
            launch("the preferred origin failed");
        }
        return !live.isEmpty();
    }

    /** The current attempt delivered first: the others are closed. */
    void currentWon() {
        cancelHeadStart();
        pending = List.of();
        if (launched) {
            context.metrics().ask(UpstreamMeters.AskResult.WON);
        }
        closeLive(true);
    }

    /** Stops without counting: the pull stops or starts another attempt. */
    void close() {
        cancelHeadStart();
        pending = List.of();
        launched = false;
        closeLive(false);
    }

    /** Asks running now (for tests and the log). */
    int running() {
        return live.size();
    }

    private void launch(String why) {
        launched = true;
        log.info("pull {}: {}; asking {} at once", owner.key(), why, pending);
        for (OriginAddress origin : pending) {
            Ask ask = new Ask(origin);
            live.add(ask);
            lastAsked = origin;
            ask.start();
        }
        pending = List.of();
    }

    private void cancelHeadStart() {
        if (headStart != null) {
            headStart.cancel(false);
            headStart = null;
        }
    }

    private void closeLive(boolean count) {
        for (Ask ask : List.copyOf(live)) {
            ask.close();
            if (count) {
                context.metrics().ask(UpstreamMeters.AskResult.LOST);
                log.debug("pull {}: ask to {} lost the race, closed", owner.key(), ask.origin);
            }
        }
        live.clear();
    }

    private void won(Ask winner, PayloadMessage first) {
        live.remove(winner);
        winner.cancelTimer();
        closeLive(true);
        launched = false;
        context.metrics().ask(UpstreamMeters.AskResult.WON);
        if (owner.currentOpen()) {
            context.metrics().ask(UpstreamMeters.AskResult.LOST);
        }
        log.debug("pull {}: ask to {} delivered first, kept", owner.key(), winner.origin);
        winner.target = owner.adopt(winner.origin, winner.channel, winner.streamId);
        List<PayloadMessage> held = winner.held;
        winner.held = new ArrayList<>();
        try {
            for (PayloadMessage m : held) {
                winner.target.media(m);
            }
            winner.target.media(first);
        } finally {
            held.forEach(PayloadMessage::release);
        }
    }

    private void failed(Ask ask, String reason) {
        if (!live.remove(ask)) {
            return;
        }
        context.metrics().ask(UpstreamMeters.AskResult.FAILED);
        log.debug("pull {}: ask to {} failed: {}", owner.key(), ask.origin, reason);
        owner.askFailed(ask.origin, reason, ask.handshook);
        if (live.isEmpty() && pending.isEmpty()) {
            launched = false;
            owner.asksEnded(lastAsked, ask.origin + ": " + reason);
        }
    }

    /** One origin asked alongside the current attempt; after it wins, its events go to the pull. */
    private final class Ask implements UpstreamClientHandler.Events {
        private final OriginAddress origin;
        private List<PayloadMessage> held = new ArrayList<>();
        private UpstreamClientHandler.Events target;
        private Channel channel;
        private int streamId;
        private boolean handshook;
        private boolean closed;
        private ScheduledFuture<?> timer;

        Ask(OriginAddress origin) {
            this.origin = origin;
        }

        void start() {
            channel = owner.connect(origin, owner.client(origin, this), this);
            Duration budget =
                    context.cluster().connectTimeout().plus(context.cluster().playTimeout());
            arm(budget, "no media within " + budget.toMillis() + " ms (connect_timeout + play_timeout)");
        }

        private void arm(Duration in, String reason) {
            cancelTimer();
            timer = loop.schedule(
                    () -> {
                        timer = null;
                        failed(reason);
                    },
                    in.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        void close() {
            closed = true;
            cancelTimer();
            held.forEach(PayloadMessage::release);
            held.clear();
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void handshook() {
            handshook = true;
        }

        @Override
        public void started(Channel ch, int id) {
            if (target != null) {
                return; // adopted after its start: not reported twice
            }
            if (closed) {
                ch.close();
                return;
            }
            channel = ch;
            streamId = id;
            // As the current attempt: an origin that sends no media for stall_timeout after Play.Start
            // does not have the stream.
            long stallMillis = context.cluster().stallTimeout().toMillis();
            arm(context.cluster().stallTimeout(), "stalled: no media for " + stallMillis + " ms after Play.Start");
        }

        @Override
        public void media(PayloadMessage message) {
            if (target != null) {
                target.media(message);
            } else if (closed) {
                return;
            } else if (message instanceof AudioMessage || message instanceof VideoMessage) {
                won(this, message);
            } else if (message instanceof DataMessage && held.size() < MAX_HELD) {
                held.add(message.retainedDuplicate());
            }
        }

        @Override
        public void failed(String reason) {
            if (target != null) {
                target.failed(reason);
            } else if (!closed) {
                close();
                OriginRace.this.failed(this, reason);
            }
        }

        @Override
        public void pong() {
            if (target != null) {
                target.pong();
            }
        }

        @Override
        public void writabilityChanged() {
            if (target != null) {
                target.writabilityChanged();
            }
        }
    }
}
