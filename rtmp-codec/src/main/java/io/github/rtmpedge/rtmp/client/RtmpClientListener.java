package io.github.rtmpedge.rtmp.client;

import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;

/**
 * What a {@link RtmpClientHandler} reports, always on the channel's event loop. Only
 * {@link #failed} must be implemented. Any callback may call {@link RtmpClientHandler#fail} to end
 * the connection with its own reason.
 */
public interface RtmpClientListener {

    /** The client moved on to {@code phase} ({@link RtmpClientHandler#phase()} is already that). */
    default void phaseChanged(RtmpClientHandler client, Phase phase) {}

    /**
     * Every onStatus from the server, in any phase, before the client acts on it (e.g. fails on an
     * error level): a listener that ends the connection on other codes too (Play.Stop,
     * Play.UnpublishNotify...) calls {@link RtmpClientHandler#fail} here and its reason is the one
     * reported.
     */
    default void status(RtmpClientHandler client, Status status) {}

    /**
     * The server accepted play or publish: NetStream.Play.Start or NetStream.Publish.Start came.
     *
     * @param streamId the message stream id createStream returned, on which media flows
     */
    default void started(RtmpClientHandler client, int streamId) {}

    /**
     * A user control event from the server other than a ping, which the client answers itself:
     * Stream Begin, Stream EOF, Stream Dry, Stream Is Recorded (RTMP spec 7.1.7).
     */
    default void streamEvent(RtmpClientHandler client, UserControlMessage event) {}

    /**
     * Audio, video or data of the played stream, from Play.Start on. The client releases it after
     * the call: retain it (or a duplicate) to keep it.
     */
    default void media(RtmpClientHandler client, PayloadMessage message) {}

    /** The channel's writability changed (a publisher resumes or pauses sending). */
    default void writabilityChanged(RtmpClientHandler client) {}

    /**
     * The connection failed or ended, before or after it started; reported once, as the client
     * closes the channel. The reason may quote the server (a description echoing a stream name with
     * its query): redact it before logging.
     */
    void failed(RtmpClientHandler client, String reason);
}
