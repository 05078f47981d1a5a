package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.security.QueryParams;
import io.github.rtmpedge.edge.security.Verdict;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Makes a session wait for a security decision: a verdict already known applies at once; one still
 * coming (an HTTP hook) turns reading off, holds the few commands the client sends meanwhile and
 * drops its media, then applies the verdict on the connection's loop and replays what it held. A
 * connection that closed meanwhile is left alone. Confined to the connection's event loop.
 */
final class AuthorisationGate {

    /** Commands a client may send while a decision is pending; more is a protocol error. */
    static final int MAX_HELD_COMMANDS = 32;

    private final SessionContext session;
    private final Consumer<CommandMessage> replay;
    private final ArrayDeque<CommandMessage> held = new ArrayDeque<>();
    private boolean deciding;

    /** {@code replay}: how a held command is acted upon once the decision is in. */
    AuthorisationGate(SessionContext session, Consumer<CommandMessage> replay) {
        this.session = session;
        this.replay = replay;
    }

    /** True while a decision is pending: nothing the client sends is acted upon. */
    boolean deciding() {
        return deciding;
    }

    /**
     * Runs {@code then} with the verdict: at once if it is known, else when it arrives, with
     * reading off meanwhile so that nothing is accepted before the decision.
     */
    void decide(CompletableFuture<Verdict> verdict, String what, Consumer<Verdict> then) {
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            then.accept(verdict.join());
            return;
        }
        deciding = true;
        session.channel.config().setAutoRead(false);
        verdict.whenComplete(
                (v, failure) -> session.channel.eventLoop().execute(() -> decided(v, failure, what, then)));
    }

    private void decided(Verdict v, Throwable failure, String what, Consumer<Verdict> then) {
        deciding = false;
        if (!session.channel.isActive()) {
            held.clear();
            RtmpSession.log.info(
                    "{}: the decision on {} came after the connection closed; nothing to do", session.remote, what);
            return;
        }
        then.accept(
                failure == null ? v : Verdict.refuse(AuthReason.HOOK_ERROR, QueryParams.redact(failure.toString())));
        while (!deciding && session.channel.isActive() && !session.disconnector.closing() && !held.isEmpty()) {
            replay.accept(held.poll());
        }
        if (!deciding && session.channel.isActive()) {
            session.channel.config().setAutoRead(true);
        }
    }

    /** A message that arrived while a decision is pending: commands wait (a few), anything else is dropped. */
    void hold(Object msg) {
        if (!(msg instanceof CommandMessage command)) {
            return;
        }
        if (held.size() >= MAX_HELD_COMMANDS) {
            held.clear();
            session.close(
                    CloseReason.PROTOCOL_ERROR,
                    "more than " + MAX_HELD_COMMANDS + " commands while authorisation was pending");
            return;
        }
        held.add(command);
    }

    /** The connection went away: nothing held is acted upon. */
    void clear() {
        held.clear();
    }

    /** The refusal's log line (who, what, why; never a token) and its count. */
    void refused(AuthAction action, String what, Verdict verdict) {
        session.services.meters().refusals().refused(action, verdict.reason());
        RtmpSession.log.warn(
                "{}: {} {} refused: {} ({})",
                session.remote,
                action.tag(),
                what,
                verdict.reason().tag(),
                verdict.detail());
    }
}
