package io.github.rtmpedge.config;

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

    private static final String CIDRS = "a list of IPv4 or IPv6 addresses or CIDR blocks such as [\"10.0.0.0/8\", \"::1\"]";
    static final String URLS = "a list of http:// or https:// URLs";
    private static final List<String> HOOKS = List.of("on_connect", "on_publish", "on_unpublish", "on_play", "on_stop");

    private final ConfigReader r;

    SecurityConfigReader(ConfigReader r) {
        this.r = r;
    }

    /** The section, or null after recording problems. */
    SecurityConfig read() {
        List<String> secrets = strings("security.token_secrets", "a list of non-empty secret strings (or one string)");
        Duration skew = r.duration("security.token_clock_skew", true);
        Duration hookTimeout = r.duration("security.hook_timeout", false);
        Boolean failOpen = r.bool("security.hook_fail_open");
        SecurityConfig.AppRules defaults = rules(List.of("security"), null);
        Map<String, SecurityConfig.AppRules> apps = new LinkedHashMap<>();
        List<String> appNames = r.objectKeys("security.apps");
        if (appNames.isEmpty()) {
            ConfigValue section = r.value("security.apps", "an object of app name → rules");
            if (section != null && section.valueType() != ConfigValueType.OBJECT) {
                r.problem("security.apps", ConfigReader.render(section), "an object of app name → rules");
            }
        }
        if (defaults != null) {
            for (String app : appNames) {
                r.section(path(List.of("security", "apps", app)));
                SecurityConfig.AppRules rules = rules(List.of("security", "apps", app), defaults);
                if (rules != null) {
                    apps.put(app, rules);
                }
            }
        }
        if (secrets != null && secrets.isEmpty()) {
            List<String> needing = new ArrayList<>();
            if (defaults != null) {
                needing.addAll(tokenPaths(List.of("security"), defaults));
            }
            apps.forEach((app, rules) -> needing.addAll(tokenPaths(List.of("security", "apps", app), rules).stream()
                    .filter(r::has).toList())); // an inherited "on" is reported once, at the default
            for (String path : needing) {
                r.problem(path, "on", "off, or at least one secret in security.token_secrets");
            }
        }
        if (secrets == null || skew == null || hookTimeout == null || failOpen == null || defaults == null) {
            return null;
        }
        return new SecurityConfig(secrets, skew, hookTimeout, failOpen, defaults, apps);
    }

    private static List<String> tokenPaths(List<String> prefix, SecurityConfig.AppRules rules) {
        List<String> paths = new ArrayList<>();
        if (rules.publish().token()) {
            paths.add(path(prefix, "publish", "token"));
        }
        if (rules.play().token()) {
            paths.add(path(prefix, "play", "token"));
        }
        return paths;
    }

    /** The rules under {@code prefix}; a key missing there comes from {@code fallback} (null: all are required). */
    private SecurityConfig.AppRules rules(List<String> prefix, SecurityConfig.AppRules fallback) {
        SecurityConfig.AccessRule publish = access(prefix, "publish", fallback == null ? null : fallback.publish());
        SecurityConfig.AccessRule play = access(prefix, "play", fallback == null ? null : fallback.play());
        SecurityConfig.HookUrls hooks = hooks(prefix, fallback == null ? null : fallback.hooks());
        return publish == null || play == null || hooks == null ? null : new SecurityConfig.AppRules(publish, play, hooks);
    }

    private SecurityConfig.AccessRule access(List<String> prefix, String action, SecurityConfig.AccessRule fallback) {
        List<CidrBlock> allow = optional(path(prefix, action, "allow"), fallback == null ? null : fallback.allow(),
                p -> r.scalarList(p, CIDRS, text -> List.of(CidrBlock.parse(text))));
        List<CidrBlock> deny = optional(path(prefix, action, "deny"), fallback == null ? null : fallback.deny(),
                p -> r.scalarList(p, CIDRS, text -> List.of(CidrBlock.parse(text))));
        Boolean token = optional(path(prefix, action, "token"), fallback == null ? null : fallback.token(), r::bool);
        return allow == null || deny == null || token == null ? null : new SecurityConfig.AccessRule(allow, deny, token);
    }

    private SecurityConfig.HookUrls hooks(List<String> prefix, SecurityConfig.HookUrls fallback) {
        List<List<java.net.URI>> lists = new ArrayList<>();
        List<List<java.net.URI>> defaults = fallback == null ? null
                : List.of(fallback.onConnect(), fallback.onPublish(), fallback.onUnpublish(), fallback.onPlay(), fallback.onStop());
        for (int i = 0; i < HOOKS.size(); i++) {
            List<URI> urls = optional(path(prefix, "http_hooks", HOOKS.get(i)), defaults == null ? null : defaults.get(i),
                    this::hookUrls);
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

    private static String path(List<String> prefix, String... rest) {
        List<String> parts = new ArrayList<>(prefix);
        parts.addAll(List.of(rest));
        return ConfigUtil.joinPath(parts);
    }

    /** A list of hook URLs; a problem shows a bad URL without user info or query. */
    private List<URI> hookUrls(String path) {
        List<String> texts = strings(path, URLS);
        if (texts == null) {
            return null;
        }
        List<URI> urls = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < texts.size(); i++) {
            try {
                urls.add(hookUrl(texts.get(i)));
            } catch (IllegalArgumentException e) {
                r.problem(path + "[" + i + "]", "(" + texts.get(i).length() + " characters, not shown: a URL may carry a credential)",
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
