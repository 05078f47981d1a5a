package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.Backlog;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.edge.stream.delivery.DeliveryListener;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import java.util.List;

/**
 * A player's side of a session (RTMP spec 7.2.2.1): play with its security decision, the status
 * sequence, the {@link Delivery} subscribed to the stream on the stream's loop, the end of the
 * stream, and stopping. Confined to the connection's event loop; the stream is reached only
 * through tasks on its own loop.
 */
final class PlayHandler {

    private final SessionContext session;
    private final AuthorisationGate gate;
    private final AckWatchdog acks;
    private LiveStream played;
    private Delivery delivery;
    private int streamId;

    PlayHandler(SessionContext session, AuthorisationGate gate, AckWatchdog acks) {
        this.session = session;
        this.gate = gate;
        this.acks = acks;
    }

    /** The message stream the play came on (valid while playing). */
    int streamId() {
        return streamId;
    }

    /** The current play's delivery, or null. */
    Delivery delivery() {
        return delivery;
    }

    void play(int msid, Command command) {
        if (!session.connected("play") || session.role() != Role.NONE) {
            return;
        }
        StreamName name = StreamName.parse(PlayRequest.parse(command).name());
        if (name.name().isEmpty()) {
            session.status(msid, Status.of(StatusCode.PLAY_STREAM_NOT_FOUND, "Empty stream name"));
            return;
        }
        StreamKey key = new StreamKey(session.app, name.name());
        session.requested(Role.PLAYER, key);
        gate.decide(
                session.services.gatekeeper().play(session.peer, session.hookEvent("on_play", name)),
                "play " + key,
                verdict -> {
                    if (session.role() != Role.NONE) {
                        return;
                    }
                    if (verdict.allowed()) {
                        start(msid, key, name);
                        return;
                    }
                    gate.refused(AuthAction.PLAY, key.toString(), verdict);
                    session.status(msid, Status.of(StatusCode.PLAY_FAILED, "Playing " + key + " is not allowed"));
                    session.close(CloseReason.PLAY_REJECTED, verdict.reason().tag());
                });
    }

    private void start(int msid, StreamKey key, StreamName name) {
        session.role(Role.PLAYER);
        session.activeKey = key;
        session.activeName = name;
        session.lastActivity = "player of " + key;
        streamId = msid;
        // Status first; the media the delivery writes comes in later tasks on this loop.
        session.channel.write(new UserControlMessage.StreamBegin(msid));
        session.reply(
                msid,
                Commands.onStatus(Status.of(StatusCode.PLAY_RESET, "Playing and resetting " + name.name())
                        .with("details", name.name())
                        .with("clientid", session.clientId())));
        session.reply(
                msid,
                Commands.onStatus(Status.of(StatusCode.PLAY_START, "Started playing " + name.name())
                        .with("details", name.name())
                        .with("clientid", session.clientId())));
        session.channel.write(
                Messages.dataMessage(session.channel.alloc(), 0, msid, DataMessages.rtmpSampleAccess(true, true)));
        session.channel.write(Messages.dataMessage(
                session.channel.alloc(),
                0,
                msid,
                List.of(
                        Commands.ON_STATUS,
                        Status.of(StatusCode.DATA_START, "Data start").toObject())));
        session.channel.flush();
        SessionSettings settings = session.settings;
        delivery = new Delivery(
                session.channel.eventLoop(),
                new RtmpFrameWriter(session.channel, msid),
                new Backlog(settings.queueLengthMillis(), settings.queueMaxBytes(), System::nanoTime),
                new Listener(msid),
                session.services.meters().traffic().delivery(Role.PLAYER),
                true,
                "player " + session.remote + " of " + key);
        session.lastDelivery = delivery;
        subscribe(key, name, delivery);
        acks.start();
    }

    private void subscribe(StreamKey key, StreamName name, Delivery sub) {
        LiveStream stream = session.services.streams().getOrCreate(key, session.channel.eventLoop());
        stream.loop().execute(() -> {
            if (!session.channel.isActive() || sub != delivery) {
                stream.closeIfUnused();
                return;
            }
            if (stream.source() == null && stream.query().isEmpty()) {
                stream.query(name.query()); // travels to the origin with the pull
            }
            if (!stream.subscribe(sub)) {
                session.channel.eventLoop().execute(() -> subscribe(key, name, sub)); // raced with its removal
                return;
            }
            session.channel.eventLoop().execute(() -> {
                played = stream;
                if (sub != delivery) { // stopped in the meantime
                    stream.loop().execute(() -> {
                        stream.unsubscribe(sub);
                        session.channel.eventLoop().execute(sub::releaseAll);
                    });
                }
            });
        });
    }

    /** What the delivery tells the player. */
    private final class Listener implements DeliveryListener {
        private final int msid;

        Listener(int msid) {
            this.msid = msid;
        }

        @Override
        public void sourceEnded(boolean notify) {
            if (notify && session.channel.isActive()) {
                session.reply(
                        msid,
                        Commands.onStatus(Status.of(StatusCode.PLAY_UNPUBLISH_NOTIFY, "The stream was unpublished")));
                session.channel.write(new UserControlMessage.StreamEof(msid));
                session.channel.flush();
            }
        }

        @Override
        public void streamFailed(String reason) {
            if (session.channel.isActive()) {
                session.status(msid, Status.of(StatusCode.PLAY_FAILED, reason));
            }
            session.close(CloseReason.STREAM_FAILED, reason);
        }

        @Override
        public void tooSlow(String reason) {
            RtmpSession.log.warn("{}: disconnecting slow player: {}", session.remote, reason);
            session.close(CloseReason.TOO_SLOW, reason);
        }
    }

    /**
     * Stops playing. {@code answer} (the player closed or deleted its stream): everything the stream
     * offered so far is written first, then {@code NetStream.Play.Stop} and StreamEOF (RTMP spec
     * 7.1.7), so the player knows it has all of it; otherwise (the connection went away) what waits is
     * released.
     */
    void stop(boolean answer) {
        acks.stop();
        if (session.role() != Role.PLAYER) {
            return;
        }
        session.role(Role.NONE);
        session.activeKey = null;
        Delivery sub = delivery;
        delivery = null;
        LiveStream stream = played;
        played = null;
        session.services.gatekeeper().stopped(session.hookEvent("on_stop", session.activeName));
        if (sub == null) {
            return;
        }
        int msid = streamId;
        if (!answer) {
            sub.close();
        }
        if (stream != null) {
            stream.loop().execute(() -> {
                stream.unsubscribe(sub);
                session.channel.eventLoop().execute(() -> {
                    if (answer) {
                        endOfStream(sub, msid);
                    }
                    sub.releaseAll();
                });
            });
        } else if (answer) {
            // Not subscribed yet: subscribe() sees the delivery replaced and undoes itself.
            sub.close();
            endOfStream(sub, msid);
        }
    }

    private void endOfStream(Delivery sub, int msid) {
        sub.finish();
        if (session.channel.isActive()) {
            session.reply(msid, Commands.onStatus(Status.of(StatusCode.PLAY_STOP, "Stopped playing")));
            session.channel.write(new UserControlMessage.StreamEof(msid));
            session.channel.flush();
        }
    }

    /** The channel's writability changed: the delivery may go on. */
    void writabilityChanged() {
        if (delivery != null) {
            delivery.writabilityChanged();
        }
    }

    /** Writes what the delivery holds back for a merged write (a drain closes the player next). */
    void sendPending() {
        if (delivery != null) {
            delivery.sendAllDue();
        }
    }
}
