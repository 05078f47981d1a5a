package io.github.rtmpedge.edge.security;

/**
 * What an SRS-style HTTP hook answered: the client is allowed only on HTTP 200 with the body
 * {@code 0} or a JSON object whose top-level {@code code} is 0 (SRS's convention).
 */
public final class HookAnswer {

    private HookAnswer() {}

    /** Whether {@code status} and {@code body} allow the client. */
    public static boolean allows(int status, String body) {
        if (status != 200 || body == null) {
            return false;
        }
        String trimmed = body.strip();
        if (trimmed.equals("0")) {
            return true;
        }
        return trimmed.startsWith("{") && "0".equals(topLevelCode(trimmed));
    }

    /**
     * The literal value of the top-level {@code "code"} member of a JSON object (a number as
     * written, a string with its quotes), or null. Nested objects and strings are skipped, so
     * {@code {"data":{"code":0},"code":1}} gives {@code 1}.
     */
    static String topLevelCode(String json) {
        int depth = 0;
        int i = 0;
        int n = json.length();
        while (i < n) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = stringEnd(json, i);
                if (end < 0) {
                    return null;
                }
                if (depth == 1 && json.substring(i + 1, end).equals("code")) {
                    int colon = skipSpace(json, end + 1);
                    if (colon < n && json.charAt(colon) == ':') {
                        int start = skipSpace(json, colon + 1);
                        int stop = start;
                        while (stop < n && ",}] \t\r\n".indexOf(json.charAt(stop)) < 0) {
                            stop++;
                        }
                        return json.substring(start, stop);
                    }
                }
                i = end + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            i++;
        }
        return null;
    }

    /** The index of the quote that closes the string opening at {@code start}, or -1. */
    private static int stringEnd(String json, int start) {
        for (int i = start + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(String json, int from) {
        int i = from;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }
}
