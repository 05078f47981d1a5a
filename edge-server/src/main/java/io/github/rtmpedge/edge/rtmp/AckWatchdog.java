package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.session.CloseReason;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * Watches that a player acknowledges what it receives (RTMP spec 5.4.3): once a second (its loop's
 * {@link LoopTicker}), the bytes handed to the socket and not acknowledged against the windows we
 * allow. A player past
 * ack_warn_windows is logged and counted once; past ack_max_windows it is disconnected. Confined
 * to the connection's event loop.
 */
final class AckWatchdog {

    private final SessionContext session;
    /** The peer's last Acknowledgement sequence number (bytes it received, mod 2^32). */
    private long acknowledged;

    private boolean stallReported;
    /** Looked up once: a search of the pipeline per player per second showed in profiles. */
    private ConnectionHandler counters;

    private final Runnable check = this::check;
    private boolean watching;

    AckWatchdog(SessionContext session) {
        this.session = session;
    }

    /** An Acknowledgement arrived. */
    void acknowledged(long sequenceNumber) {
        acknowledged = sequenceNumber;
    }

    /** Starts watching (a play started), if the limits ask for it. */
    void start() {
        SessionSettings settings = session.settings;
        if (!watching && (settings.ackWarnWindows() > 0 || settings.ackMaxWindows() > 0)) {
            watching = true;
            LoopTicker.add(session.channel.eventLoop(), check);
        }
    }

    void stop() {
        if (watching) {
            watching = false;
            LoopTicker.remove(session.channel.eventLoop(), check);
        }
    }

    private void check() {
        if (counters == null) {
            counters = session.channel.pipeline().get(ConnectionHandler.class);
        }
        ChannelOutboundBuffer pending = session.channel.unsafe().outboundBuffer();
        if (counters == null || pending == null) {
            return;
        }
        long sent = counters.bytesOut() - pending.totalPendingWriteBytes();
        long unacknowledged = (sent - acknowledged) & 0xFFFFFFFFL;
        SessionSettings settings = session.settings;
        long window = settings.windowAckSize();
        if (!stallReported && settings.ackWarnWindows() > 0 && unacknowledged > settings.ackWarnWindows() * window) {
            stallReported = true;
            session.services.meters().violations().increment(Violation.ACK_STALLED);
            RtmpSession.log.warn(
                    "{}: player stopped acknowledging: {} bytes unacknowledged (ack_warn_windows {} x {},"
                            + " last ack {})",
                    session.remote,
                    unacknowledged,
                    settings.ackWarnWindows(),
                    window,
                    acknowledged);
        }
        if (settings.ackMaxWindows() > 0 && unacknowledged > settings.ackMaxWindows() * window) {
            RtmpSession.log.warn(
                    "{}: disconnecting player that stopped acknowledging: {} bytes unacknowledged"
                            + " (ack_max_windows {} x {})",
                    session.remote,
                    unacknowledged,
                    settings.ackMaxWindows(),
                    window);
            session.close(CloseReason.NOT_ACKNOWLEDGING, unacknowledged + " bytes unacknowledged");
        }
    }
}
