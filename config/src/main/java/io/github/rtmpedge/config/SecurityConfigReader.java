package io.github.rtmpedge.config;

import static io.github.rtmpedge.config.ConfigKey.*;

import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and validates the {@code security} section: the defaults ({@code security.publish},
 * {@code security.play}, {@code security.http_hooks}), then every {@code security.apps.<app>},
 * whose keys override the defaults one by one.
 */
final class SecurityConfigReader {

    static final String URLS = "a list of http:// or https:// URLs";
    private static final List<ConfigKey> HOOKS = List.of(
            SECURITY_HTTP_HOOKS_ON_CONNECT,
            SECURITY_HTTP_HOOKS_ON_PUBLISH,
            SECURITY_HTTP_HOOKS_ON_UNPUBLISH,
            SECURITY_HTTP_HOOKS_ON_PLAY,
            SECURITY_HTTP_HOOKS_ON_STOP);

    private final ConfigReader r;

    SecurityConfigReader(ConfigReader r) {
        this.r = r;
    }

    /** The section, or null after recording problems. */
    SecurityConfig read() {
        List<String> secrets = strings(
                SECURITY_TOKEN_SECRETS.path(),
                SECURITY_TOKEN_SECRETS.type(ValueType.Secrets.class).expected());
        Duration skew = r.duration(SECURITY_TOKEN_CLOCK_SKEW);
        Duration hookTimeout = r.duration(SECURITY_HOOK_TIMEOUT);
        Boolean failOpen = r.bool(SECURITY_HOOK_FAIL_OPEN);
        SecurityConfig.AppRules defaults = rules(null, null);
        Map<String, SecurityConfig.AppRules> apps = new LinkedHashMap<>();
        List<String> appNames = r.objectKeys(SECURITY_APPS.path());
        if (appNames.isEmpty()) {
            String expected = SECURITY_APPS.type(ValueType.Apps.class).expected();
            ConfigValue section = r.value(SECURITY_APPS.path(), expected);
            if (section != null && section.valueType() != ConfigValueType.OBJECT) {
                r.problem(SECURITY_APPS.path(), ConfigReader.render(section), expected);
            }
        }
        if (defaults != null) {
            for (String app : appNames) {
                r.section(appSection(app));
                SecurityConfig.AppRules rules = rules(app, defaults);
                if (rules != null) {
                    apps.put(app, rules);
                }
            }
        }
        if (secrets != null && secrets.isEmpty()) {
            List<String> needing = new ArrayList<>();
            if (defaults != null) {
                needing.addAll(tokenPaths(null, defaults));
            }
            apps.forEach((app, rules) -> needing.addAll(tokenPaths(app, rules).stream()
                    .filter(r::has)
                    .toList())); // an inherited "on" is reported once, at the default
            for (String path : needing) {
                r.problem(path, "on", "off, or at least one secret in " + SECURITY_TOKEN_SECRETS.path());
            }
        }
        if (secrets == null || skew == null || hookTimeout == null || failOpen == null || defaults == null) {
            return null;
        }
        return new SecurityConfig(secrets, skew, hookTimeout, failOpen, defaults, apps);
    }

    private static String appSection(String app) {
        List<String> parts = new ArrayList<>(ConfigUtil.splitPath(SECURITY_APPS.path()));
        parts.add(app);
        return ConfigUtil.joinPath(parts);
    }

    /** The token keys that are on in {@code app}'s rules ({@code app} null: the defaults). */
    private static List<String> tokenPaths(String app, SecurityConfig.AppRules rules) {
        List<String> paths = new ArrayList<>();
        if (rules.publish().token()) {
            paths.add(SECURITY_PUBLISH_TOKEN.pathInApp(app));
        }
        if (rules.play().token()) {
            paths.add(SECURITY_PLAY_TOKEN.pathInApp(app));
        }
        return paths;
    }

    /**
     * The rules of {@code app} (null: the defaults); a key missing there comes from {@code fallback}
     * (null: all are required).
     */
    private SecurityConfig.AppRules rules(String app, SecurityConfig.AppRules fallback) {
        SecurityConfig.AccessRule publish = access(
                app,
                SECURITY_PUBLISH_ALLOW,
                SECURITY_PUBLISH_DENY,
                SECURITY_PUBLISH_TOKEN,
                fallback == null ? null : fallback.publish());
        SecurityConfig.AccessRule play = access(
                app,
                SECURITY_PLAY_ALLOW,
                SECURITY_PLAY_DENY,
                SECURITY_PLAY_TOKEN,
                fallback == null ? null : fallback.play());
        SecurityConfig.HookUrls hooks = hooks(app, fallback == null ? null : fallback.hooks());
        return publish == null || play == null || hooks == null
                ? null
                : new SecurityConfig.AppRules(publish, play, hooks);
    }

    private SecurityConfig.AccessRule access(
            String app, ConfigKey allowKey, ConfigKey denyKey, ConfigKey tokenKey, SecurityConfig.AccessRule fallback) {
        List<CidrBlock> allow = optional(
                allowKey.pathInApp(app),
                fallback == null ? null : fallback.allow(),
                p -> r.items(allowKey, p, CidrBlock.class));
        List<CidrBlock> deny = optional(
                denyKey.pathInApp(app),
                fallback == null ? null : fallback.deny(),
                p -> r.items(denyKey, p, CidrBlock.class));
        Boolean token = optional(tokenKey.pathInApp(app), fallback == null ? null : fallback.token(), r::bool);
        return allow == null || deny == null || token == null
                ? null
                : new SecurityConfig.AccessRule(allow, deny, token);
    }

    private SecurityConfig.HookUrls hooks(String app, SecurityConfig.HookUrls fallback) {
        List<List<URI>> lists = new ArrayList<>();
        List<List<URI>> defaults = fallback == null
                ? null
                : List.of(
                        fallback.onConnect(),
                        fallback.onPublish(),
                        fallback.onUnpublish(),
                        fallback.onPlay(),
                        fallback.onStop());
        for (int i = 0; i < HOOKS.size(); i++) {
            ConfigKey key = HOOKS.get(i);
            List<URI> urls = optional(
                    key.pathInApp(app),
                    defaults == null ? null : defaults.get(i),
                    p -> hookUrls(p, key.type(ValueType.Urls.class).expected()));
            if (urls == null) {
                return null;
            }
            lists.add(urls);
        }
        return new SecurityConfig.HookUrls(lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4));
    }

    /** Reads {@code path} when it is set or there is no fallback; else the fallback. */
    private <T> T optional(String path, T fallback, Function<String, T> read) {
        if (fallback != null && !r.has(path)) {
            return fallback;
        }
        return read.apply(path);
    }

    /** A list of hook URLs; a problem shows a bad URL without user info or query. */
    private List<URI> hookUrls(String path, String expected) {
        List<String> texts = strings(path, expected);
        if (texts == null) {
            return null;
        }
        List<URI> urls = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < texts.size(); i++) {
            try {
                urls.add(hookUrl(texts.get(i)));
            } catch (IllegalArgumentException e) {
                r.problem(
                        path + "[" + i + "]",
                        "(" + texts.get(i).length() + " characters, not shown: a URL may carry a credential)",
                        e.getMessage());
                failed = true;
            }
        }
        return failed ? null : urls;
    }

    /** An absolute http(s) URL with a host; the problem report never shows user info or query. */
    static URI hookUrl(String text) {
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URLS + " (not a URL)");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(URLS + " with a host");
        }
        return url;
    }

    /**
     * A list of non-empty strings (or one string) that may hold secrets, so a problem shows only
     * the kind of a value, never the value.
     */
    private List<String> strings(String path, String expected) {
        ConfigValue value = r.value(path, expected);
        if (value == null) {
            return null;
        }
        List<? extends ConfigValue> elements;
        boolean single = value.valueType() == ConfigValueType.STRING;
        if (single) {
            elements = List.of(value);
        } else if (value.valueType() == ConfigValueType.LIST) {
            elements = (com.typesafe.config.ConfigList) value;
        } else {
            r.problem(path, "(redacted, a " + value.valueType().name().toLowerCase(Locale.ROOT) + ")", expected);
            return null;
        }
        List<String> strings = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue element = elements.get(i);
            String at = single ? path : path + "[" + i + "]";
            if (element.valueType() != ConfigValueType.STRING && element.valueType() != ConfigValueType.NUMBER) {
                r.problem(at, "(redacted, a " + element.valueType().name().toLowerCase(Locale.ROOT) + ")", expected);
                failed = true;
                continue;
            }
            String secret = String.valueOf(element.unwrapped());
            if (secret.isEmpty()) {
                r.problem(at, "\"\"", expected);
                failed = true;
                continue;
            }
            strings.add(secret);
        }
        return failed ? null : strings;
    }
}
