package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What an upstream pull and an upstream push share: trying the origins in order, one connection
 * attempt at a time, each bounded by connect_timeout + play_timeout; on failure the next origin after
 * an exponential backoff with jitter, the failed origin marked in the pool; every attempt and outcome
 * logged and counted. Confined to the stream's event loop.
 */
abstract class UpstreamConnection {

    protected final LiveStream stream;
    protected final UpstreamContext context;
    private final Logger log;
    private final String label;
    private final Role role;
    private final UpstreamClientHandler.Mode mode;
    private final OriginCursor cursor;
    private long attempts;
    private OriginAddress origin;
    private Channel channel;
    private UpstreamAttempt current;
    private ScheduledFuture<?> timer;
    private boolean stopped;
    private final RetryScheduler retry;
    /** The current attempt succeeded: media flows (pull) or the origin accepted the publish (push). */
    private boolean established;
    /** When the upstream that worked last lost its origin; -1 while it works (or never failed). */
    private long lostSinceNanos = -1;
    /** The current attempt failed while other origins asked at once were still answering. */
    private boolean waitingForAsks;

    UpstreamConnection(
            LiveStream stream,
            UpstreamContext context,
            Logger log,
            String label,
            Role role,
            UpstreamClientHandler.Mode mode) {
        this.stream = stream;
        this.context = context;
        this.log = log;
        this.label = label;
        this.role = role;
        this.mode = mode;
        this.cursor = new OriginCursor(context, stream.key(), stream.loop());
        this.retry = new RetryScheduler(stream, context, cursor, log, label, this::attempt, this::stopped);
    }

    /** The application with its query, as sent in connect. */
    abstract String app();

    /** The stream name with its query, as sent in play or publish. */
    abstract String streamName();

    /** What an attempt waits for to count as a success, for the timeout message. */
    abstract String awaited();

    /** The origin accepted play or publish on {@code streamId}. */
    abstract void started(Channel ch, int streamId);

    /** The connection is gone (failed, or stopped): undo what {@link #started} set up. */
    abstract void lost();

    /** Media from the origin (pull). */
    void media(PayloadMessage message) {}

    /** The origin answered a ping (push). */
    void pong() {}

    /** The channel's writability changed (push). */
    void writabilityChanged() {}

    /** After a failure: true to stop retrying (the subclass has logged why and cleaned up). */
    boolean giveUp(String reason) {
        return false;
    }

    /** An attempt to {@link #currentOrigin} has just started (pull: the other origins may be asked too). */
    void attemptStarted() {}

    /**
     * The current attempt failed: true when other origins asked at once are still answering, so the
     * next step waits for them ({@link #adopt} or {@link #asksEnded}).
     */
    boolean awaitOtherAsks() {
        return false;
    }

    /** Stops asking other origins (the upstream stops for good). */
    void closeAsks() {}

    final OriginAddress currentOrigin() {
        return origin;
    }

    final boolean stopped() {
        return stopped;
    }

    final boolean established() {
        return established;
    }

    /** The current attempt succeeded: stop its timeout, reset the backoff, count it (and the recovery). */
    final void establish() {
        if (!established) {
            established = true;
            if (lostSinceNanos >= 0) {
                context.metrics().recovered(role, Duration.ofNanos(System.nanoTime() - lostSinceNanos));
                lostSinceNanos = -1;
            }
            cancelTimer();
            cursor.succeeded();
            context.pool().succeeded(origin);
            context.metrics().attempt(role, origin.toString(), UpstreamMeters.Outcome.SUCCESS);
        }
    }

    /** Stops for good: no more attempts; closes the connection. Call on the stream's loop. */
    final void stopNow() {
        if (stopped) {
            return;
        }
        stopped = true;
        current = null;
        retry.stop();
        waitingForAsks = false;
        closeAsks();
        cancelTimer();
        if (channel != null) {
            channel.close();
            channel = null;
        }
        lost();
    }

    /** Starts: the first attempt once the order of the origins is known (names looked up off the loop). */
    final void begin() {
        cursor.start(this::attempt);
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        origin = cursor.upcoming();
        attempts++;
        established = false;
        waitingForAsks = false;
        log.info("{} {}: attempt {} to origin {}", label, stream.key(), attempts, origin);
        UpstreamAttempt attempt = new UpstreamAttempt(this);
        current = attempt;
        RtmpClientHandler client = newClient(origin, attempt);
        long startedNanos = System.nanoTime();
        channel = context.connector()
                .connect(stream.loop(), origin, client, role)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        attempt.failed("connect failed: " + f.cause().getMessage());
                    } else {
                        log.debug(
                                "{} {}: connected to {} in {} ms",
                                label,
                                stream.key(),
                                origin,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
                    }
                })
                .channel();
        long budget = context.cluster()
                .connectTimeout()
                .plus(context.cluster().playTimeout())
                .toMillis();
        cancelTimer();
        timer = stream.loop()
                .schedule(
                        () -> {
                            timer = null;
                            if (!established && attempt == current) {
                                Channel timedOut = channel;
                                attempt.failed("no " + awaited() + " within " + budget
                                        + " ms (connect_timeout + play_timeout)");
                                if (timedOut != null) {
                                    timedOut.close();
                                }
                            }
                        },
                        budget,
                        TimeUnit.MILLISECONDS);
        attemptStarted();
    }

    /** The client of one connection to {@code to}: play or publish this upstream's stream. */
    final RtmpClientHandler newClient(OriginAddress to, UpstreamClientHandler.Events events) {
        return UpstreamClientHandler.forOrigin(mode, app(), streamName(), context, to, events);
    }

    /** The current attempt has not ended (it may still deliver). */
    final boolean currentAttemptOpen() {
        return current != null;
    }

    /**
     * The origins after the current one in this upstream's order that may be asked alongside it: not
     * known to be unreachable, at most {@code max}.
     */
    final List<OriginAddress> otherCandidates(int max) {
        return cursor.others(origin, max);
    }

    /**
     * An origin asked alongside the current attempt failed: counted and marked as the current
     * attempt's failure would be, without a next step of its own.
     */
    final void askFailed(OriginAddress asked, String reason, boolean handshook) {
        context.metrics().attempt(role, asked.toString(), UpstreamMeters.Outcome.FAILURE);
        countFailure(asked, reason, handshook);
    }

    private void countFailure(OriginAddress failed, String reason, boolean handshook) {
        context.metrics().failed(role, UpstreamMeters.Failure.of(reason, handshook));
        if (!handshook) {
            // No TCP or no handshake: the origin's prober, not this stream, finds out when it is back.
            context.health().markUnreachable(failed, reason, stream.loop());
        }
        cursor.failed(failed);
    }

    /**
     * An origin asked alongside the current attempt delivered first: its connection becomes the
     * current one, the current attempt's connection (if any) is closed, and {@link #started} runs for
     * it. Returns where the winner's further events go. Call on the stream's loop.
     */
    final UpstreamClientHandler.Events adopt(OriginAddress winner, Channel ch, int streamId) {
        Channel previous = channel;
        current = null; // events of the previous attempt are ignored from here on
        cancelTimer();
        if (previous != null) {
            previous.close();
        }
        lost();
        waitingForAsks = false;
        origin = winner;
        channel = ch;
        established = false;
        UpstreamAttempt adopted = new UpstreamAttempt(this);
        adopted.handshook = true;
        current = adopted;
        started(ch, streamId);
        return adopted;
    }

    /**
     * Every origin asked alongside the failed current attempt failed too: go on as after any failure,
     * from the origin after {@code lastAsked}.
     */
    final void asksEnded(OriginAddress lastAsked, String reason) {
        if (!waitingForAsks || stopped) {
            return;
        }
        waitingForAsks = false;
        retry.next(lastAsked, "origin " + origin + " and the origins asked with it failed (last: " + reason + ")");
    }

    /**
     * Gives up the current attempt as failed for {@code reason} (an origin that went silent):
     * closes its connection and goes on as for any failure. Call on the stream's loop.
     */
    final void abandon(String reason) {
        UpstreamAttempt attempt = current;
        Channel abandoned = channel;
        if (attempt != null) {
            attempt.failed(reason);
        }
        if (abandoned != null) {
            abandoned.close();
        }
    }

    /** Whether {@code attempt}'s events still count: it is the current attempt. */
    final boolean isCurrent(UpstreamAttempt attempt) {
        return attempt == current;
    }

    /** The current attempt failed: it ends, and the upstream goes on as for any failure. */
    final void currentFailed(String reason, boolean handshook) {
        current = null;
        onFailed(reason, handshook);
    }

    private void onFailed(String reason, boolean handshook) {
        if (!established) { // an established attempt was counted as a success
            context.metrics().attempt(role, origin.toString(), UpstreamMeters.Outcome.FAILURE);
        }
        channel = null;
        cancelTimer();
        lost();
        if (stopped) {
            return;
        }
        if (lostSinceNanos < 0) {
            lostSinceNanos = System.nanoTime();
        }
        countFailure(origin, reason, handshook);
        if (giveUp(reason)) {
            stopped = true;
            closeAsks();
            return;
        }
        if (awaitOtherAsks()) {
            waitingForAsks = true;
            log.warn(
                    "{} {}: origin {} failed: {}; waiting for the other origins asked at once ({} consecutive"
                            + " failures)",
                    label,
                    stream.key(),
                    origin,
                    reason,
                    cursor.failures());
            return;
        }
        retry.next(origin, "origin " + origin + " failed: " + reason);
    }

    /** Cancels the attempt's timeout and a pending retry: at most one of them is ever pending. */
    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        retry.cancelTimer();
    }
}
