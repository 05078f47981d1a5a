package io.github.rtmpedge.config;

import java.util.regex.Pattern;

/**
 * The two syntaxes a configuration file may be written in; {@link EdgeConfigLoader} tells them
 * apart by content ({@link #detect(String)}), whatever the file's name.
 */
public enum ConfigSyntax {
    /** Typesafe Config's HOCON, as {@code reference.conf}: {@code max_connections = 1000}. */
    HOCON,
    /** SRS's nginx-like syntax: {@code max_connections 1000;} and {@code http_api { listen 1985; }}. */
    SRS;

    /**
     * A HOCON assignment: at the start of a line or after {@code { } , ;}, a key (or a quoted key,
     * already blanked to {@code ""}) followed by {@code =}, {@code +=} or {@code :}. A colon
     * followed by a digit or another colon is not one: it is SRS's {@code host:port} or an IPv6
     * address continuing an argument list on a new line.
     */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("(?m)(?:^|[{},;])[ \\t]*(?:[A-Za-z_][A-Za-z0-9_.-]*|\"\")[ \\t]*(?:=|\\+=|:(?![0-9:]))");

    /**
     * The rule: after removing comments ({@code #} at the start of a token, and {@code //} at the
     * start of a line) and the contents of quoted strings, the text is {@link #SRS} if it holds a
     * {@code ;} and no HOCON assignment ({@code key =}, {@code key +=}, {@code key:}); anything
     * else is {@link #HOCON}. A HOCON file never needs {@code ;}, and every SRS directive is ended
     * by one while SRS has no {@code =} or {@code key:} form.
     */
    public static ConfigSyntax detect(String text) {
        String stripped = stripCommentsAndQuotes(text);
        if (stripped.indexOf(';') < 0 || ASSIGNMENT.matcher(stripped).find()) {
            return HOCON;
        }
        return SRS;
    }

    private static String stripCommentsAndQuotes(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean tokenStart = true;
        boolean lineStart = true;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append(c);
                tokenStart = true;
                lineStart = true;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                out.append(c);
                tokenStart = true;
                i++;
            } else if ((c == '#' && tokenStart) || (lineStart && text.startsWith("//", i))) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                out.append("\"\"");
                i = close < 0 ? text.length() : close + 1;
                tokenStart = false;
                lineStart = false;
            } else {
                out.append(c);
                tokenStart = c == ';' || c == '{' || c == '}' || c == ',';
                lineStart = false;
                i++;
            }
        }
        return out.toString();
    }
}
