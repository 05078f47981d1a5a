package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.PublishForwarder;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.SourceMessages;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.LoopHandoff;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;

/**
 * A publisher's side of a session (RTMP spec 7.2.2.6): publish with its security decision, the
 * attach to the stream on the stream's loop, the media fed to it (paced against the wall clock),
 * the publish edge's forward, and unpublishing. Confined to the connection's event loop; the
 * stream is reached only through tasks on its own loop.
 */
final class PublishHandler {

    private final SessionContext session;
    private final AuthorisationGate gate;
    private LiveStream published;
    private Publisher publisher;
    private int streamId;
    private PublishForwarder.Forward forward;
    private PublishPace pace;

    PublishHandler(SessionContext session, AuthorisationGate gate) {
        this.session = session;
        this.gate = gate;
    }

    /** The message stream the publish came on (valid while publishing). */
    int streamId() {
        return streamId;
    }

    /** The source handle a publisher gives its stream; media crosses to the stream's loop in batches. */
    private final class Publisher implements LiveStream.Source {
        private final LoopHandoff<PayloadMessage> toStream;
        // Read by the API on the stream's loop: fixed here, on the connection's.
        private final String clientId = session.channel.id().asShortText();
        private final String tcUrl = QueryParams.redact(session.tcUrl);

        Publisher(LiveStream stream) {
            this.toStream = new LoopHandoff<>(
                    stream.loop(),
                    m -> {
                        try {
                            SourceMessages.feed(stream, this, m, session.channel.alloc(), session.services.amfLimits());
                        } finally {
                            m.release();
                        }
                    },
                    () -> {},
                    64);
        }

        @Override
        public String describe() {
            return "publisher " + session.remote;
        }

        @Override
        public String origin() {
            return session.remote;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public String tcUrl() {
            return tcUrl;
        }
    }

    void publish(int msid, Command command) {
        if (!session.connected("publish") || session.role() != Role.NONE) {
            return;
        }
        StreamName name = StreamName.parse(PublishRequest.parse(command).name());
        if (name.name().isEmpty()) {
            reject(msid, "Empty stream name");
            return;
        }
        StreamKey key = new StreamKey(session.app, name.name());
        session.requested(Role.PUBLISHER, key);
        gate.decide(
                session.services.gatekeeper().publish(session.peer, session.hookEvent("on_publish", name)),
                "publish " + key,
                verdict -> {
                    if (session.role() != Role.NONE) {
                        return;
                    }
                    if (!verdict.allowed()) {
                        gate.refused(AuthAction.PUBLISH, key.toString(), verdict);
                        reject(msid, "Publishing " + key + " is not allowed");
                        return;
                    }
                    session.role(Role.PUBLISHER);
                    session.activeKey = key;
                    session.activeName = name;
                    streamId = msid;
                    LiveStream stream = session.services.streams().getOrCreate(key, session.channel.eventLoop());
                    Publisher source = new Publisher(stream);
                    publisher = source;
                    attach(stream, key, name, msid, source);
                });
    }

    /** {@code source} is passed along, never read from the field on the stream's loop (another thread). */
    private void attach(LiveStream stream, StreamKey key, StreamName name, int msid, Publisher source) {
        stream.loop().execute(() -> {
            if (stream.closed()) { // raced with its removal: a fresh stream, a fresh hand-off
                session.channel.eventLoop().execute(() -> {
                    if (publisher == source) {
                        LiveStream again = session.services.streams().getOrCreate(key, session.channel.eventLoop());
                        Publisher next = new Publisher(again);
                        publisher = next;
                        attach(again, key, name, msid, next);
                    }
                });
                return;
            }
            boolean attached = stream.attach(source);
            if (attached) {
                stream.query(name.query());
            }
            session.channel.eventLoop().execute(() -> attached(stream, source, name, msid, attached));
        });
    }

    private void attached(LiveStream stream, Publisher source, StreamName name, int msid, boolean attached) {
        boolean current = publisher == source; // not stopped (FCUnpublish, deleteStream, close) while attaching
        if (!attached) {
            if (current) {
                session.role(Role.NONE);
                session.activeKey = null;
                publisher = null;
                session.services.meters().violations().increment(Violation.STREAM_BUSY);
                RtmpSession.log.warn(
                        "{}: refusing to publish {}: it already has a publisher", session.remote, stream.key());
                reject(msid, "Stream " + stream.key() + " is already being published");
            }
            return;
        }
        if (!session.channel.isActive() || !current) {
            stream.loop().execute(() -> stream.detach(source, true));
            return;
        }
        published = stream;
        pace = new PublishPace(session.settings.publishLeadWarnMillis(), session.settings.publishLeadMaxMillis());
        session.lastActivity = "publisher of " + stream.key();
        session.lastDelivery = null;
        session.channel.write(new UserControlMessage.StreamBegin(msid));
        session.status(
                msid,
                Status.of(StatusCode.PUBLISH_START, "Started publishing stream " + name.name())
                        .with("clientid", session.clientId()));
        RtmpSession.log.info("{}: publishing {}", session.remote, stream.key());
        PublishForwarder forwarder = session.services.forwarder();
        if (forwarder != null) {
            forward = forwarder.start(
                    stream, session.app + (session.appQuery.isEmpty() ? "" : "?" + session.appQuery), name);
        }
    }

    /** True once Publish.Start was sent (this connection feeds a stream). */
    boolean publishing() {
        return published != null;
    }

    private void reject(int msid, String why) {
        session.status(msid, Status.of(StatusCode.PUBLISH_BAD_NAME, why));
        session.close(CloseReason.PUBLISH_REJECTED, why);
    }

    /** Unpublishes; {@code notifyClient}: answer with NetStream.Unpublish.Success (FCUnpublish, deleteStream). */
    void stop(boolean notifyClient) {
        if (session.role() != Role.PUBLISHER || publisher == null) {
            return;
        }
        LiveStream stream = published;
        Publisher source = publisher;
        publisher = null;
        published = null;
        session.role(Role.NONE);
        session.activeKey = null;
        if (forward != null) {
            forward.stop();
            forward = null;
        }
        if (stream != null) {
            stream.loop().execute(() -> stream.detach(source, true));
            RtmpSession.log.info("{}: stopped publishing {}", session.remote, stream.key());
            session.services.gatekeeper().unpublished(session.hookEvent("on_unpublish", session.activeName));
        }
        if (notifyClient && session.channel.isActive()) {
            session.status(streamId, Status.of(StatusCode.UNPUBLISH_SUCCESS, "Stopped publishing"));
        }
    }

    /** Media, data or an aggregate from the publisher: fed to the stream on the stream's loop. */
    void media(PayloadMessage message) {
        LiveStream stream = published;
        if (session.role() != Role.PUBLISHER || stream == null || message.messageStreamId() != streamId) {
            return; // before Publish.Start or on another stream: not accepted
        }
        if (!(message instanceof DataMessage) && !paced(stream, message.timestamp())) {
            return;
        }
        publisher.toStream.offer(message.retain());
    }

    /** Checks the publisher's pace; false when it ran so far ahead that the connection is closing. */
    private boolean paced(LiveStream stream, long timestamp) {
        switch (pace.observe(timestamp, System.nanoTime())) {
            case AHEAD -> {
                session.services.meters().violations().increment(Violation.PUBLISH_AHEAD);
                RtmpSession.log.warn(
                        "{}: publishing {} faster than real time: media {} ms ahead of the wall clock"
                                + " (publish_lead_warn {} ms)",
                        session.remote,
                        stream.key(),
                        pace.leadMillis(System.nanoTime()),
                        session.settings.publishLeadWarnMillis());
                return true;
            }
            case TOO_FAR_AHEAD -> {
                long lead = pace.leadMillis(System.nanoTime());
                RtmpSession.log.warn(
                        "{}: disconnecting publisher of {}: media {} ms ahead of the wall clock"
                                + " (publish_lead_max {} ms)",
                        session.remote,
                        stream.key(),
                        lead,
                        session.settings.publishLeadMaxMillis());
                session.close(CloseReason.PUBLISHING_TOO_FAST, "media " + lead + " ms ahead of the wall clock");
                return false;
            }
            default -> {
                return true;
            }
        }
    }
}
