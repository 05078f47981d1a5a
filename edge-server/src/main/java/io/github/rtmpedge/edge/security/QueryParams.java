package io.github.rtmpedge.edge.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query strings of RTMP app and stream names ({@code a=1&token=x}): reading one parameter, and
 * hiding the values of parameters that carry secrets before anything is logged or shown.
 */
public final class QueryParams {

    /** Parameter names whose values are secrets (compared in lower case). */
    private static final Set<String> SECRET_NAMES = Set.of(
            "token",
            "sign",
            "signature",
            "secret",
            "key",
            "password",
            "passwd",
            "pwd",
            "pass",
            "auth",
            "authorization",
            "access_token",
            "accesstoken",
            "apikey",
            "api_key",
            "txsecret",
            "credential",
            "credentials",
            "session",
            "sig");
    /** {@code name=value} pairs in any text: after start, '?', '&' or ';', up to the next separator or white space. */
    private static final Pattern PAIR = Pattern.compile("(^|[?&;])([^=&?;\\s/]+)=([^&;\\s\"',}]*)");
    /** user:password@ in URLs (tcUrl, hook URLs). */
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@\\s]*@");

    public static final String MASK = "***";

    private QueryParams() {}

    /** The first value of {@code name} in {@code query} (without '?'), URL-decoded; null if absent. */
    public static String first(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    return URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return value;
                }
            }
        }
        return null;
    }

    /**
     * {@code text} (a query, a name with its query, a URL) with the value of every secret-carrying
     * parameter replaced by {@code ***}, and any user info of a URL too.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = PAIR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean secret = SECRET_NAMES.contains(name)
                    || name.endsWith("token")
                    || name.endsWith("secret")
                    || name.endsWith("password")
                    || name.endsWith("key");
            m.appendReplacement(
                    out, Matcher.quoteReplacement(secret ? m.group(1) + m.group(2) + "=" + MASK : m.group()));
        }
        m.appendTail(out);
        return USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    }
}
