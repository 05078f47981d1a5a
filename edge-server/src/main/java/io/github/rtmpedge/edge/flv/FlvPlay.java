package io.github.rtmpedge.edge.flv;

import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.Backlog;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.edge.stream.delivery.DeliveryListener;
import io.github.rtmpedge.rtmp.flv.FlvHeader;
import io.github.rtmpedge.rtmp.flv.FlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Consumer;

/**
 * The player side of an HTTP-FLV connection: a {@link Delivery} under the same slow-consumer
 * policy as an RTMP player's, subscribed to the stream on the stream's loop exactly as an RTMP
 * play is (so on an edge the first player starts the upstream pull), and the body it writes: the
 * response head and the FLV header first, then the frames. Frames the delivery takes before the
 * head is out wait in its backlog. Confined to the connection's event loop.
 */
final class FlvPlay {

    private final FlvSession session;
    private final Channel channel;
    private final StreamKey key;
    private final String query;
    private final HttpVersion version;
    private final FlvFrameWriter writer;
    private Delivery delivery;
    private LiveStream played;
    private boolean started;
    /** The delivery after stop(), for the close line. */
    private Delivery lastDelivery;

    FlvPlay(FlvSession session, StreamKey key, String query, HttpVersion version) {
        this.session = session;
        this.channel = session.channel();
        this.key = key;
        this.query = query;
        this.version = version;
        this.writer = new Writer();
    }

    /** The delivery, or null once stopped. */
    Delivery delivery() {
        return delivery;
    }

    /** The body's writer: not writable before the response head is out. */
    private final class Writer extends FlvFrameWriter {
        Writer() {
            super(
                    channel,
                    session.guard(),
                    FlvAnswers.chunked(version),
                    session.services().traffic(),
                    session.services().tracker(),
                    session::appEntry);
        }

        @Override
        public boolean writable() {
            return started && super.writable();
        }
    }

    void start() {
        FlvServices services = session.services();
        delivery = new Delivery(
                channel.eventLoop(),
                writer,
                new Backlog(services.queueLengthMillis(), services.queueMaxBytes(), System::nanoTime),
                new Listener(),
                services.traffic().delivery(Role.PLAYER),
                true,
                "HTTP-FLV player " + session.remote() + " of " + key);
        subscribe(delivery);
    }

    private void subscribe(Delivery sub) {
        LiveStream stream = session.streamOf(key);
        if (stream == null) {
            session.notFound();
            return;
        }
        boolean standalone = session.services().standalone();
        stream.loop().execute(() -> {
            if (!channel.isActive() || sub != delivery) {
                stream.closeIfUnused();
                return;
            }
            if (standalone && (stream.closed() || stream.source() == null)) {
                channel.eventLoop().execute(session::notFound); // no publisher: nothing to play
                return;
            }
            if (stream.source() == null && stream.query().isEmpty()) {
                stream.query(query); // travels to the origin with the pull
            }
            if (!stream.subscribe(sub)) {
                channel.eventLoop().execute(() -> subscribe(sub)); // raced with its removal
                return;
            }
            channel.eventLoop().execute(() -> {
                played = stream;
                if (sub != delivery) { // stopped in the meantime
                    stream.loop().execute(() -> {
                        stream.unsubscribe(sub);
                        channel.eventLoop().execute(sub::releaseAll);
                    });
                    return;
                }
                startBody();
            });
        });
    }

    /** The response head and the FLV header; then what the delivery held goes out. */
    private void startBody() {
        if (!channel.isActive()) {
            return;
        }
        session.role(Role.PLAYER);
        session.guard().streaming();
        channel.write(FlvAnswers.streamHead(version, session.services().crossDomain()));
        ByteBuf header = channel.alloc().buffer(FlvHeader.SIZE + 4);
        FlvWriter.writeHeader(header, true, true);
        started = true;
        writer.writeBody(header);
        delivery.writabilityChanged();
    }

    /** Whether {@code key} can be played now (HEAD): a standalone stream needs a publisher. */
    static void probe(FlvSession session, StreamKey key, Consumer<Boolean> answer) {
        Channel channel = session.channel();
        LiveStream stream = session.services().streams().get(key);
        if (!session.services().standalone()) {
            answer.accept(true); // an edge pulls whatever a player asks for
        } else if (stream == null) {
            answer.accept(false);
        } else {
            stream.loop().execute(() -> {
                boolean found = !stream.closed() && stream.source() != null;
                channel.eventLoop().execute(() -> answer.accept(found));
            });
        }
    }

    /** A drain: what the merged write holds goes out, then the body ends cleanly. */
    void end() {
        if (delivery != null && started) {
            delivery.sendAllDue();
            writer.end();
        }
    }

    void writabilityChanged() {
        if (delivery != null) {
            delivery.writabilityChanged();
        }
    }

    /** The connection went away: unsubscribe and release what waits. */
    void stop() {
        Delivery sub = delivery;
        delivery = null;
        writer.discard();
        if (sub == null) {
            return;
        }
        sub.close();
        LiveStream stream = played;
        played = null;
        if (stream != null) {
            stream.loop().execute(() -> {
                stream.unsubscribe(sub);
                channel.eventLoop().execute(sub::releaseAll);
            });
        }
        // Not subscribed yet: subscribe() sees the delivery replaced and undoes itself.
        lastDelivery = sub;
    }

    /** The close line's delivery figures. */
    String summary() {
        Delivery sub = delivery != null ? delivery : lastDelivery;
        if (sub == null) {
            return "";
        }
        return "; frames offered " + sub.framesOffered() + ", sent " + sub.framesSent() + ", dropped "
                + sub.framesDropped() + ", discarded " + sub.framesDiscarded();
    }

    /** What the delivery tells the player. */
    private final class Listener implements DeliveryListener {
        @Override
        public void sourceEnded(boolean notify) {
            // As for an RTMP player: the body stays open, a new publisher continues it.
        }

        @Override
        public void streamFailed(String reason) {
            writer.end();
            session.close(CloseReason.STREAM_FAILED, reason);
        }

        @Override
        public void tooSlow(String reason) {
            FlvSession.log.warn("{}: disconnecting slow HTTP-FLV player: {}", session.remote(), reason);
            session.close(CloseReason.TOO_SLOW, reason);
        }
    }
}
