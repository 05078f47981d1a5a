package io.github.rtmpedge.config;

import static io.github.rtmpedge.config.ConfigKey.HTTP_API_DRAIN_TOKEN;
import static io.github.rtmpedge.config.ConfigKey.HTTP_SERVER_FLV_MOUNT;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The HTTP sections' values that take more than a typed read: a single listen address, the FLV
 * mount template and the drain token. Kept apart from {@link EdgeConfigLoader} so the loader only
 * merges layers and checks rules across keys; problems go to the same {@link ConfigReader}.
 */
final class HttpValueReader {

    /** RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private HttpValueReader() {}

    /** {@code http_server.flv.mount}: a template {@link FlvMount#parse} accepts. */
    static FlvMount mount(ConfigReader r) {
        String expected = HTTP_SERVER_FLV_MOUNT.type(ValueType.Mount.class).expected();
        ConfigValue value = r.value(HTTP_SERVER_FLV_MOUNT.path(), expected);
        if (value == null) {
            return null;
        }
        if (value.valueType() != ConfigValueType.STRING) {
            r.problem(HTTP_SERVER_FLV_MOUNT.path(), ConfigReader.render(value), expected);
            return null;
        }
        try {
            return FlvMount.parse((String) value.unwrapped());
        } catch (IllegalArgumentException e) {
            r.problem(HTTP_SERVER_FLV_MOUNT.path(), ConfigReader.render(value), expected);
            return null;
        }
    }

    /**
     * {@code http_api.drain_token}: empty, or an RFC 6750 section 2.1 {@code b64token} (what may
     * follow "Bearer " in an Authorization header). A secret, so a problem shows only its length.
     */
    static String drainToken(ConfigReader r) {
        String path = HTTP_API_DRAIN_TOKEN.path();
        String expected = HTTP_API_DRAIN_TOKEN.type(ValueType.Token.class).expected();
        ConfigValue value = r.value(path, expected);
        if (value == null) {
            return null;
        }
        if (value.valueType() != ConfigValueType.STRING && value.valueType() != ConfigValueType.NUMBER) {
            r.problem(path, "(redacted, a " + value.valueType().name().toLowerCase(Locale.ROOT) + ")", expected);
            return null;
        }
        String token = String.valueOf(value.unwrapped());
        if (!token.isEmpty() && !B64TOKEN.matcher(token).matches()) {
            r.problem(path, "(redacted, " + token.length() + " characters)", expected);
            return null;
        }
        return token;
    }

    /** A single address: a port or "host:port", not a list. */
    static ListenAddress singleListen(ConfigReader r, ConfigKey key) {
        String expected = key.type(ValueType.Address.class).expected();
        ConfigValue value = r.value(key.path(), expected);
        if (value == null) {
            return null;
        }
        switch (value.valueType()) {
            case NUMBER, STRING -> {
                try {
                    return HostPortParser.listenAddress(String.valueOf(value.unwrapped()));
                } catch (IllegalArgumentException e) {
                    r.problem(key.path(), ConfigReader.render(value), e.getMessage());
                    return null;
                }
            }
            default -> {
                r.problem(key.path(), ConfigReader.render(value), expected);
                return null;
            }
        }
    }
}
