package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.proxy.ClientAddress;
import io.github.rtmpedge.edge.security.HookEvent;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.session.Disconnector;
import io.github.rtmpedge.edge.stream.AppMeters;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.delivery.Delivery;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.command.StreamName;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * One RTMP client connection as its session's parts share it: the connection's facts, the
 * NetConnection state set by connect, the role, and the way to answer. Confined to the
 * connection's event loop, except {@link #role()}, which the metrics scrape and a drain read.
 */
final class SessionContext {

    final Channel channel;
    final String remote;
    /** The client's address and port, for the access log; null if the channel has none. */
    final SocketAddress client;
    /** The client's address, for the security rules; null if the channel has none. */
    final InetAddress peer;

    final long openedNanos = System.nanoTime();
    final SessionServices services;
    final SessionSettings settings;
    final Disconnector disconnector;

    /** The application connected to; null before connect. */
    String app;
    /** The query of connect's app ({@code live?token=…}), without '?'; travels to the origin. */
    String appQuery = "";

    String tcUrl = "";
    String pageUrl = "";
    /** What the connection publishes or plays now, for the API. */
    StreamKey activeKey;
    /** The name (with its query) published or played now, for the on_unpublish and on_stop hooks. */
    StreamName activeName;
    /** Its last publish or play, for the close line. */
    String lastActivity;
    /** The delivery of its latest play (null if it published since), for the close line's figures. */
    Delivery lastDelivery;
    /** Its last publish or play asked for, allowed or not, for the access log's role and stream. */
    Role requestedRole = Role.NONE;

    StreamKey requestedKey;

    private volatile Role role = Role.NONE;

    /** Confined to the connection's loop. */
    private AppMeters.Entry appEntry;

    SessionContext(Channel channel, SessionServices services, SessionSettings settings) {
        this.channel = channel;
        this.services = services;
        this.settings = settings;
        // The client's, not a load balancer's: the PROXY protocol gate ran before this session existed.
        this.client = ClientAddress.of(channel);
        this.remote = ClientAddress.text(channel);
        this.peer = ClientAddress.ip(channel);
        this.disconnector = new Disconnector(channel, services.meters().closes());
        services.tracker().sessionStarted(Role.NONE);
    }

    /** What the connection does now; any thread. */
    Role role() {
        return role;
    }

    /** On the connection's loop: the connection now does {@code next}. */
    void role(Role next) {
        services.tracker().roleChanged(role, next);
        if (next != role) {
            leaveApp();
            appEntry = services.meters().traffic().apps().enter(app, next);
        }
        role = next;
    }

    /** The connection ended: it is counted no longer. */
    void ended() {
        services.tracker().sessionEnded(role);
        leaveApp();
    }

    /** Where this session's bytes count by app, while it plays or publishes; else null. Its loop only. */
    AppMeters.Entry appEntry() {
        return appEntry;
    }

    private void leaveApp() {
        if (appEntry != null) {
            appEntry.leave();
            appEntry = null;
        }
    }

    /** A publish or play of {@code key} was asked for (before the security rules decide). */
    void requested(Role what, StreamKey key) {
        requestedRole = what;
        requestedKey = key;
    }

    void close(CloseReason reason, String detail) {
        disconnector.close(reason, detail);
    }

    /** False (and the connection closing as a protocol error) before connect. */
    boolean connected(String what) {
        if (app == null) {
            services.meters().violations().increment(Violation.OUT_OF_ORDER);
            close(CloseReason.PROTOCOL_ERROR, what + " before connect");
            return false;
        }
        return true;
    }

    void reply(int msid, Command command) {
        channel.write(new CommandMessage(msid, command));
    }

    /** An onStatus on message stream {@code msid}, written and flushed. */
    void status(int msid, Status status) {
        reply(msid, Commands.onStatus(status));
        channel.flush();
    }

    /** The id players and publishers see in their status events. */
    String clientId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    /** The hook body of this connection; {@code name} null for on_connect. */
    HookEvent hookEvent(String action, StreamName name) {
        return new HookEvent(
                action,
                channel.id().asShortText(),
                peer == null ? remote : peer.getHostAddress(),
                app,
                name == null ? "" : name.name(),
                name == null || name.query().isEmpty() ? "" : "?" + name.query(),
                tcUrl,
                pageUrl);
    }

    long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }
}
