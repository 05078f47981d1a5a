package io.github.rtmpedge.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where HTTP-FLV serves a stream: SRS's {@code http_remux.mount}, a path template such as
 * {@code [vhost]/[app]/[stream].flv}. We have one virtual host, which SRS leaves out of the path
 * of its default vhost, so {@code [vhost]/} is dropped; what is left must be a literal prefix
 * followed by {@code [app]/[stream].flv}.
 *
 * @param template as configured, e.g. {@code [vhost]/[app]/[stream].flv}
 * @param prefix the literal path before the app, starting and ending with '/' ({@code /} or {@code /flv/})
 */
public record FlvMount(String template, String prefix) {

    /** SRS's default. */
    public static final String DEFAULT = "[vhost]/[app]/[stream].flv";

    static final String EXPECTED =
            "a path ending in [app]/[stream].flv, optionally after [vhost]/ or literal path segments"
                    + " (e.g. \"[vhost]/[app]/[stream].flv\", \"/flv/[app]/[stream].flv\")";

    private static final Pattern TEMPLATE =
            Pattern.compile("/?(?:\\[vhost]/)?((?:[A-Za-z0-9._~-]+/)*)\\[app]/\\[stream]\\.flv");

    /** The mount of {@code template}; throws {@link IllegalArgumentException} saying what was expected. */
    public static FlvMount parse(String template) {
        Matcher m = TEMPLATE.matcher(template.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return new FlvMount(template.trim(), "/" + m.group(1));
    }

    /** The app and stream a request path names, or null: {@code /live/s1.flv} is {@code [live, s1]}. */
    public String[] match(String path) {
        if (!path.startsWith(prefix) || !path.endsWith(".flv")) {
            return null;
        }
        String rest = path.substring(prefix.length(), path.length() - ".flv".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    /** The template, which loads back to this mount. */
    @Override
    public String toString() {
        return template;
    }
}
