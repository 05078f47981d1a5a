package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.OriginAddress;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.rtmp.client.Phase;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.client.RtmpClientHandler;
import io.github.rtmpedge.rtmp.client.RtmpClientListener;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The edge's side of an upstream connection to an origin, on the codec's client: play (pull) or
 * publish (push) as the edge says them, the end of the connection on every status that means the
 * origin's stream is gone, and the outcome handed to {@link Events} with tokens redacted from the
 * reason. The conversation itself is {@link RtmpClientHandler}'s.
 */
final class UpstreamClientHandler implements RtmpClientListener {

    enum Mode {
        PLAY,
        PUBLISH
    }

    interface Events {
        /** Play.Start or Publish.Start arrived; {@code streamId} is the origin's message stream id. */
        void started(Channel channel, int streamId);

        /** Media or data from the origin (pull); released after the call. */
        void media(PayloadMessage message);

        /** The origin answered one of our pings (push: it still reads). */
        default void pong() {}

        /** TCP connect and the RTMP handshake are done: the origin answers. */
        default void handshook() {}

        /** The upstream failed or ended, before or after it started. Reported once. */
        void failed(String reason);

        /** The channel's writability changed (push: resume sending). */
        default void writabilityChanged() {}
    }

    /** How much the origin may buffer for us (Set Buffer Length after play). */
    private static final long BUFFER_MILLIS = 3000;
    /**
     * The origin refused, its stream ended, or it closes the connection: the end of this attempt
     * whatever level the origin sent them at (and so is any status at the error level).
     */
    private static final Set<StatusCode> ENDING = EnumSet.of(
            StatusCode.PLAY_STREAM_NOT_FOUND,
            StatusCode.PLAY_FAILED,
            StatusCode.PLAY_STOP,
            StatusCode.PLAY_UNPUBLISH_NOTIFY,
            StatusCode.PUBLISH_BAD_NAME,
            StatusCode.PUBLISH_DENIED,
            StatusCode.STREAM_FAILED,
            StatusCode.CONNECT_CLOSED,
            StatusCode.CONNECT_FAILED,
            StatusCode.CONNECT_REJECTED);

    private final Events events;

    private UpstreamClientHandler(Events events) {
        this.events = events;
    }

    /**
     * The client of one connection attempt.
     *
     * @param app              the application with its query, as sent in connect
     * @param streamName       the stream name with its query, as sent in play or publish
     * @param chunkSize        the chunk size a push announces before connect
     * @param handshakeTimeout how long the handshake may take
     * @param answerTimeout    how long each answer (to connect, createStream, play or publish) may take
     */
    static RtmpClientHandler create(
            Mode mode,
            String app,
            String tcUrl,
            String streamName,
            int chunkSize,
            Duration handshakeTimeout,
            Duration answerTimeout,
            Events events) {
        RtmpClientConfig.Builder config = mode == Mode.PLAY
                ? RtmpClientConfig.play(app, tcUrl, streamName).bufferLength(BUFFER_MILLIS)
                : RtmpClientConfig.publish(app, tcUrl, streamName).chunkSize(chunkSize);
        config.flashVer(RtmpClientConfig.ENCODER_FLASH_VER)
                .timeout(Phase.HANDSHAKE, handshakeTimeout)
                .timeout(Phase.CONNECT, answerTimeout)
                .timeout(Phase.CREATE_STREAM, answerTimeout)
                .timeout(Phase.START, answerTimeout);
        return new RtmpClientHandler(config.build(), new UpstreamClientHandler(events));
    }

    /**
     * The client of a connection to {@code to} for an upstream of {@code context}: the handshake
     * bounded by connect_timeout, each answer by the smaller of stall_timeout and play_timeout (an
     * origin silent this long before an answer is as hung as one that stops sending media).
     */
    static RtmpClientHandler forOrigin(
            Mode mode, String app, String streamName, UpstreamContext context, OriginAddress to, Events events) {
        Duration stall = context.cluster().stallTimeout();
        Duration play = context.cluster().playTimeout();
        return create(
                mode,
                app,
                "rtmp://" + to.host() + ":" + to.port() + "/" + app,
                streamName,
                context.chunkSize(),
                context.cluster().connectTimeout(),
                stall.compareTo(play) <= 0 ? stall : play,
                events);
    }

    @Override
    public void status(RtmpClientHandler client, Status status) {
        if (Status.LEVEL_ERROR.equals(status.level()) || ENDING.contains(status.statusCode())) {
            client.fail("origin says " + RtmpClientHandler.describe(status));
        }
    }

    @Override
    public void phaseChanged(RtmpClientHandler client, Phase phase) {
        if (phase == Phase.CONNECT) {
            events.handshook();
        }
    }

    /**
     * Our pings' answers, and StreamEOF on the stream we play: the origin's publisher left, so this
     * origin has no stream now.
     */
    @Override
    public void streamEvent(RtmpClientHandler client, UserControlMessage event) {
        if (event instanceof UserControlMessage.PingResponse) {
            events.pong();
        } else if (event instanceof UserControlMessage.StreamEof eof
                && client.phase() == Phase.STARTED
                && eof.streamId() == client.streamId()) {
            client.fail("origin sent StreamEOF");
        }
    }

    @Override
    public void started(RtmpClientHandler client, int streamId) {
        events.started(client.channel(), streamId);
    }

    @Override
    public void media(RtmpClientHandler client, PayloadMessage message) {
        events.media(message);
    }

    @Override
    public void writabilityChanged(RtmpClientHandler client) {
        events.writabilityChanged();
    }

    @Override
    public void failed(RtmpClientHandler client, String reason) {
        // The origin's description may echo the stream name with its query: never a token in the log.
        events.failed(QueryParams.redact(reason));
    }
}
