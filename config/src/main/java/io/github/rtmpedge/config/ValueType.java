package io.github.rtmpedge.config;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a {@link ConfigKey} holds: the bounds its value is checked against when read, and how the
 * effective configuration prints it. A rendered value loads back to the same value, except secrets,
 * which are printed redacted.
 */
sealed interface ValueType {

    /** {@code value}, as the key's accessor returns it, in HOCON. */
    String render(Object value);

    /** A duration; a bare number is milliseconds. */
    record Time(boolean zeroAllowed) implements ValueType {
        @Override
        public String render(Object value) {
            return EdgeConfig.duration((java.time.Duration) value);
        }
    }

    /**
     * A size in bytes ({@code 16MiB}; a bare number is bytes) in {@code min..max}. {@code withUnit}
     * false prints a bare byte count, for sizes an operator thinks of as numbers (chunk sizes).
     */
    record Size(long min, long max, String expected, boolean withUnit) implements ValueType {
        @Override
        public String render(Object value) {
            long bytes = ((Number) value).longValue();
            return withUnit ? EdgeConfig.bytes(bytes) : Long.toString(bytes);
        }
    }

    /** A whole number in {@code min..max}. */
    record Count(int min, int max) implements ValueType {
        @Override
        public String render(Object value) {
            return value.toString();
        }
    }

    /** A number in {@code min..max}. */
    record Decimal(double min, double max, String expected) implements ValueType {
        @Override
        public String render(Object value) {
            return value.toString();
        }
    }

    /** on | off (true, false, yes, no are read too). */
    record Flag() implements ValueType {
        @Override
        public String render(Object value) {
            return (Boolean) value ? "on" : "off";
        }
    }

    /** One of an enum's constants, written in lower case. */
    record Choice(Class<? extends Enum<?>> type) implements ValueType {
        @Override
        public String render(Object value) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A list of numbers or strings, or one of them; {@code parse} turns each element into one or
     * more items, throwing {@link IllegalArgumentException} saying what was expected.
     */
    record Items(String expected, Function<String, List<?>> parse) implements ValueType {
        @Override
        public String render(Object value) {
            return quoted((List<?>) value);
        }
    }

    /** One listen address: a port or {@code "host:port"}. */
    record Address(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            return "\"" + value + "\"";
        }
    }

    /** An HTTP-FLV mount template ({@link FlvMount}). */
    record Mount(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            return "\"" + value + "\"";
        }
    }

    /** A bearer token: a secret, printed redacted when set. */
    record Token(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            return "\"" + (((String) value).isEmpty() ? "" : HttpApiConfig.REDACTED) + "\"";
        }
    }

    /** A list of secret strings (or one), each printed redacted. */
    record Secrets(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            return quoted(Collections.nCopies(((List<?>) value).size(), SecurityConfig.REDACTED));
        }
    }

    /** A list of http(s) URLs, printed without user info or query (either may carry a credential). */
    record Urls(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            @SuppressWarnings("unchecked")
            List<URI> urls = (List<URI>) value;
            return quoted(SecurityConfig.printable(urls));
        }
    }

    /** An object of app name → that app's overrides of the {@link ConfigKey#appRules() app rules}. */
    record Apps(String expected) implements ValueType {
        @Override
        public String render(Object value) {
            @SuppressWarnings("unchecked")
            Map<String, SecurityConfig.AppRules> apps = (Map<String, SecurityConfig.AppRules>) value;
            return ConfigRenderer.apps(apps);
        }
    }

    private static String quoted(List<?> items) {
        return items.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
