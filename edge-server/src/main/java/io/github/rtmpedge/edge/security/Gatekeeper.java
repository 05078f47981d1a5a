package io.github.rtmpedge.edge.security;

import io.github.rtmpedge.config.SecurityConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Applies the {@code security} rules of one configuration: for publish and play the CIDR lists,
 * then the signed token, then the HTTP hook; for connect the hook. A check without a hook
 * completes at once; a hook completes later on an HTTP client thread (the session hops back to
 * its own loop). A reload makes a new gatekeeper for the connections that follow.
 */
public final class Gatekeeper {

    /** Everyone may do everything: no rules, no hooks. */
    public static final Gatekeeper OPEN = new Gatekeeper(SecurityConfig.open());

    /** Who answers the HTTP hooks: {@link HttpHooks} in the server, something slower or stricter in tests. */
    public interface Hooks {
        /** Asks every URL in turn; a failure follows {@code failOpen}. May complete on any thread. */
        CompletableFuture<Verdict> decide(List<URI> urls, HookEvent event, Duration timeout, boolean failOpen);

        /** Tells every URL without waiting. */
        void notify(List<URI> urls, HookEvent event, Duration timeout);
    }

    /** The JDK HTTP client. */
    public static final Hooks HTTP = new Hooks() {
        @Override
        public CompletableFuture<Verdict> decide(List<URI> urls, HookEvent event, Duration timeout, boolean failOpen) {
            return HttpHooks.decide(urls, event, timeout, failOpen);
        }

        @Override
        public void notify(List<URI> urls, HookEvent event, Duration timeout) {
            HttpHooks.notify(urls, event, timeout);
        }
    };

    private final SecurityConfig config;
    private final Hooks hooks;
    private final LongSupplier nowEpochSeconds;
    private final HookMeters meters;

    public Gatekeeper(SecurityConfig config) {
        this(config, HookMeters.NONE);
    }

    /** The server's: hooks over HTTP, their decisions timed into {@code meters}. */
    public Gatekeeper(SecurityConfig config, HookMeters meters) {
        this(config, HTTP, () -> Instant.now().getEpochSecond(), meters);
    }

    public Gatekeeper(SecurityConfig config, Hooks hooks, LongSupplier nowEpochSeconds) {
        this(config, hooks, nowEpochSeconds, HookMeters.NONE);
    }

    public Gatekeeper(SecurityConfig config, Hooks hooks, LongSupplier nowEpochSeconds, HookMeters meters) {
        this.config = config;
        this.hooks = hooks;
        this.nowEpochSeconds = nowEpochSeconds;
        this.meters = meters;
    }

    /** on_connect: {@code event.app()} is the app without its query. */
    public CompletableFuture<Verdict> connect(HookEvent event) {
        return ask(AuthAction.CONNECT, config.forApp(event.app()).hooks().onConnect(), event);
    }

    /** May {@code peer} publish {@code event.stream()} (with the query {@code event.param()})? */
    public CompletableFuture<Verdict> publish(InetAddress peer, HookEvent event) {
        SecurityConfig.AppRules rules = config.forApp(event.app());
        return check(AuthAction.PUBLISH, rules.publish(), rules.hooks().onPublish(), peer, event);
    }

    /** May {@code peer} play {@code event.stream()} (with the query {@code event.param()})? */
    public CompletableFuture<Verdict> play(InetAddress peer, HookEvent event) {
        SecurityConfig.AppRules rules = config.forApp(event.app());
        return check(AuthAction.PLAY, rules.play(), rules.hooks().onPlay(), peer, event);
    }

    /** on_unpublish: a notification, never waited for. */
    public void unpublished(HookEvent event) {
        notify(config.forApp(event.app()).hooks().onUnpublish(), event);
    }

    /** on_stop: a notification, never waited for. */
    public void stopped(HookEvent event) {
        notify(config.forApp(event.app()).hooks().onStop(), event);
    }

    private CompletableFuture<Verdict> check(
            AuthAction action, SecurityConfig.AccessRule rule, List<URI> hookUrls, InetAddress peer, HookEvent event) {
        if (peer != null && !rule.admits(peer)) {
            return CompletableFuture.completedFuture(Verdict.refuse(
                    AuthReason.CIDR_DENIED, peer.getHostAddress() + " is not allowed to " + action.tag()));
        }
        if (rule.token()) {
            String query = event.param().startsWith("?") ? event.param().substring(1) : event.param();
            StreamToken.Failure failure = StreamToken.verify(
                    config.tokenSecrets(),
                    event.app(),
                    event.stream(),
                    query,
                    nowEpochSeconds.getAsLong(),
                    config.tokenClockSkew());
            if (failure != null) {
                return CompletableFuture.completedFuture(Verdict.refuse(reason(failure), describe(failure)));
            }
        }
        return ask(action, hookUrls, event);
    }

    private CompletableFuture<Verdict> ask(AuthAction action, List<URI> urls, HookEvent event) {
        if (urls.isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.ALLOW);
        }
        long started = System.nanoTime();
        return hooks.decide(urls, event, config.hookTimeout(), config.hookFailOpen())
                .whenComplete((verdict, failure) -> meters.record(action, verdict, failure, started));
    }

    private void notify(List<URI> urls, HookEvent event) {
        if (!urls.isEmpty()) {
            hooks.notify(urls, event, config.hookTimeout());
        }
    }

    private static AuthReason reason(StreamToken.Failure failure) {
        return switch (failure) {
            case MISSING -> AuthReason.MISSING;
            case EXPIRED -> AuthReason.EXPIRED;
            case BAD_SIGNATURE -> AuthReason.BAD_SIGNATURE;
        };
    }

    private static String describe(StreamToken.Failure failure) {
        return switch (failure) {
            case MISSING -> "no expires and token in the stream query";
            case EXPIRED -> "the token has expired";
            case BAD_SIGNATURE -> "the token's signature does not match the stream";
        };
    }
}
