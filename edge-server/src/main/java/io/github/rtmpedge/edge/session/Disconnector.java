package io.github.rtmpedge.edge.session;

import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.proxy.ClientAddress;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one way a client connection is closed and accounted for: the first {@link CloseReason}
 * given wins, the close is counted under it, and one line says who closed, doing what, why, with
 * the bytes, the duration and the delivery figures. That close line is the session's access log
 * line: with an {@link AccessRecord} it also carries client, app, stream, role, bytes, duration and
 * close reason as key-value pairs. Confined to the connection's event loop.
 */
public final class Disconnector {

    private static final Logger log = LoggerFactory.getLogger(Disconnector.class);

    private final Channel channel;
    private final EnumCounters<CloseReason> closes;
    private CloseReason reason;
    private String detail;
    private boolean reported;

    public Disconnector(Channel channel, EnumCounters<CloseReason> closes) {
        this.channel = channel;
        this.closes = closes;
    }

    /** Closes the connection for {@code reason}; {@code detail} (may be null) follows it on the close line. */
    public void close(CloseReason reason, String detail) {
        if (this.reason == null) {
            this.reason = reason;
            this.detail = detail;
        }
        channel.close();
    }

    /**
     * Records why the connection is about to close, without closing it yet: the caller writes a
     * last answer (an HTTP error) and closes once it is out. The first reason given still wins.
     */
    public void closing(CloseReason reason, String detail) {
        if (this.reason == null) {
            this.reason = reason;
            this.detail = detail;
        }
    }

    /** True once a close was asked for: what the peer still sends is not acted upon. */
    public boolean closing() {
        return reason != null;
    }

    /** Why the connection closed (so far): {@code label} or {@code label: detail}; null while open. */
    public String reasonText() {
        if (reason == null) {
            return null;
        }
        return detail == null ? reason.label() : reason.label() + ": " + detail;
    }

    /**
     * The connection is gone: counts it and writes its close line, once. {@code doing} says what the
     * connection did ("player of live/s1"); {@code traffic} is the line's tail (bytes, duration...).
     * The line's fields are the client and the close reason only: prefer {@link #closed(String,
     * String, AccessRecord)}.
     */
    public void closed(String doing, String traffic) {
        closed(doing, traffic, null);
    }

    /**
     * {@link #closed(String, String)} with the session's access record: the close line becomes its
     * access log line, with every field of {@code access} (may be null) as key-value pairs.
     */
    public void closed(String doing, String traffic, AccessRecord access) {
        if (reported) {
            return;
        }
        reported = true;
        if (reason == null) {
            reason = CloseReason.PEER_CLOSED;
        }
        closes.increment(reason);
        LoggingEventBuilder line = log.atInfo();
        line = access != null
                ? access.addTo(line)
                : line.addKeyValue(AccessRecord.CLIENT, AccessRecord.host(ClientAddress.of(channel)));
        line = line.addKeyValue(AccessRecord.CLOSE_REASON, reason.tag());
        if (detail != null) {
            line = line.addKeyValue(AccessRecord.CLOSE_DETAIL, detail);
        }
        line.log(
                "close {}: {}, {}; {}",
                access != null && access.client() != null ? access.client() : ClientAddress.of(channel),
                doing,
                reasonText(),
                traffic);
    }
}
