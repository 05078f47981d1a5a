package io.github.rtmpedge.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the address forms {@code reference.conf} documents: {@code "port"}, {@code "host:port"},
 * {@code "host"} (origins only) and {@code "[v6-literal]:port"}. Failures throw
 * {@link IllegalArgumentException} whose message says what was expected.
 */
final class HostPortParser {

    private HostPortParser() {}

    /** A parsed address before it becomes a {@link ListenAddress} or {@link OriginAddress}. */
    record HostPort(String host, int port) {}

    /** A port alone (host {@code 0.0.0.0}) or {@code host:port}; port 0..65535. */
    static HostPort listen(String text) {
        String trimmed = text.trim();
        if (isDigits(trimmed)) {
            return new HostPort(ListenAddress.ANY_HOST, port(trimmed, 0, "a port 0..65535"));
        }
        return split(trimmed, -1, 0, "a port 0..65535 or \"host:port\"");
    }

    /** {@code host:port} or a host alone (port 1935); port 1..65535. */
    static HostPort origin(String text) {
        return split(text.trim(), OriginAddress.DEFAULT_PORT, 1, "\"host:port\" or \"host\" with port 1..65535");
    }

    /** A {@code listen} element: one address. */
    static List<ListenAddress> listenAddresses(String text) {
        return List.of(listenAddress(text));
    }

    static ListenAddress listenAddress(String text) {
        HostPort hostPort = listen(text);
        return new ListenAddress(hostPort.host(), hostPort.port());
    }

    /** A {@code cluster.origin} element: one entry, or several separated by white space as SRS writes them. */
    static List<OriginAddress> origins(String text) {
        List<OriginAddress> origins = new ArrayList<>();
        for (String entry : text.trim().split("\\s+")) {
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("\"host:port\" entries (empty entry)");
            }
            HostPort hostPort = origin(entry);
            origins.add(new OriginAddress(hostPort.host(), hostPort.port()));
        }
        return origins;
    }

    /** {@code host:port}, the host in brackets when it is an IPv6 literal. */
    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static HostPort split(String text, int defaultPort, int minPort, String expected) {
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(expected + " (unclosed '[')");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else {
                throw new IllegalArgumentException(expected);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException(expected + " (an IPv6 host goes in brackets: \"[::1]:1935\")");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(expected + " (empty host)");
        }
        if (portText == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException(expected + " (no port)");
            }
            return new HostPort(host, defaultPort);
        }
        return new HostPort(host, port(portText, minPort, expected));
    }

    private static int port(String text, int min, String expected) {
        String range = "port " + min + "..65535";
        if (!isDigits(text) || text.length() > 5) {
            throw new IllegalArgumentException(expected + " (" + range + ")");
        }
        int port = Integer.parseInt(text);
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(expected + " (" + range + ")");
        }
        return port;
    }

    private static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
