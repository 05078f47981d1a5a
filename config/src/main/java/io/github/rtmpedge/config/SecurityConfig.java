package io.github.rtmpedge.config;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who may publish and play ({@code security}): per-action CIDR lists and signed-token requirement,
 * SRS-style HTTP hooks, with defaults for every app and per-app overrides.
 *
 * @param tokenSecrets HMAC-SHA256 secrets; any of them verifies a token, the first signs (so a
 *     new secret can be added first and the old one removed later). Secrets: never printed.
 * @param tokenClockSkew how far past its expiry a token is still accepted
 * @param hookTimeout how long an HTTP hook may take before it counts as failed
 * @param hookFailOpen whether a failed or timed-out hook allows (else it rejects)
 * @param defaults the rules of every app without its own entry in {@code apps}
 * @param apps per-app rules (each already merged over the defaults), by app name
 */
public record SecurityConfig(
        List<String> tokenSecrets,
        Duration tokenClockSkew,
        Duration hookTimeout,
        boolean hookFailOpen,
        AppRules defaults,
        Map<String, AppRules> apps) {

    static final String REDACTED = "(redacted)";

    public SecurityConfig {
        tokenSecrets = List.copyOf(tokenSecrets);
        Objects.requireNonNull(tokenClockSkew, "tokenClockSkew");
        Objects.requireNonNull(hookTimeout, "hookTimeout");
        Objects.requireNonNull(defaults, "defaults");
        apps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(apps));
    }

    /** No restriction at all: what {@code reference.conf} gives. */
    public static SecurityConfig open() {
        AccessRule everyone = new AccessRule(List.of(), List.of(), false);
        return new SecurityConfig(
                List.of(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(3),
                false,
                new AppRules(everyone, everyone, HookUrls.NONE),
                Map.of());
    }

    /** The rules of {@code app} (its own entry, else the defaults). */
    public AppRules forApp(String app) {
        return apps.getOrDefault(app, defaults);
    }

    /** Like the record's own, but without the secrets. */
    @Override
    public String toString() {
        return "SecurityConfig[tokenSecrets=" + tokenSecrets.size() + " " + REDACTED + ", tokenClockSkew="
                + tokenClockSkew
                + ", hookTimeout=" + hookTimeout + ", hookFailOpen=" + hookFailOpen + ", defaults=" + defaults
                + ", apps=" + apps + "]";
    }

    /** One app's rules. */
    public record AppRules(AccessRule publish, AccessRule play, HookUrls hooks) {
        public AppRules {
            Objects.requireNonNull(publish, "publish");
            Objects.requireNonNull(play, "play");
            Objects.requireNonNull(hooks, "hooks");
        }
    }

    /**
     * Who may do one action: a client is allowed when no deny block contains it and (the allow
     * list is empty or an allow block contains it). Deny wins.
     *
     * @param token whether a valid signed token must be in the stream query
     */
    public record AccessRule(List<CidrBlock> allow, List<CidrBlock> deny, boolean token) {
        public AccessRule {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        public boolean admits(InetAddress address) {
            for (CidrBlock block : deny) {
                if (block.contains(address)) {
                    return false;
                }
            }
            if (allow.isEmpty()) {
                return true;
            }
            for (CidrBlock block : allow) {
                if (block.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The hook URLs of each event (SRS's {@code http_hooks}); empty lists = no hook. */
    public record HookUrls(
            List<URI> onConnect, List<URI> onPublish, List<URI> onUnpublish, List<URI> onPlay, List<URI> onStop) {

        public static final HookUrls NONE = new HookUrls(List.of(), List.of(), List.of(), List.of(), List.of());

        public HookUrls {
            onConnect = List.copyOf(onConnect);
            onPublish = List.copyOf(onPublish);
            onUnpublish = List.copyOf(onUnpublish);
            onPlay = List.copyOf(onPlay);
            onStop = List.copyOf(onStop);
        }

        /** Printed without user info or query (either may carry a credential). */
        @Override
        public String toString() {
            return "HookUrls[onConnect=" + printable(onConnect) + ", onPublish=" + printable(onPublish)
                    + ", onUnpublish=" + printable(onUnpublish) + ", onPlay=" + printable(onPlay)
                    + ", onStop=" + printable(onStop) + "]";
        }
    }

    /** The URLs, each without user info or query, for logs and the configuration dump. */
    public static List<String> printable(List<URI> urls) {
        return urls.stream().map(SecurityConfig::printable).toList();
    }

    /** {@code http://***@host:port/path?***}: user info and query can carry credentials. */
    public static String printable(URI url) {
        StringBuilder out = new StringBuilder().append(url.getScheme()).append("://");
        if (url.getRawUserInfo() != null) {
            out.append("***@");
        }
        out.append(url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        out.append(url.getRawPath() == null ? "" : url.getRawPath());
        if (url.getRawQuery() != null) {
            out.append("?***");
        }
        return out.toString();
    }
}
