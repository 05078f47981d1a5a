package io.github.rtmpedge.edge.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import io.github.rtmpedge.edge.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * {@code log_format = json}: one JSON object per event and line (JSON Lines), with the fields of the
 * text format: {@code timestamp} (ISO-8601 with offset, as in the text lines), {@code level},
 * {@code thread}, {@code logger}, {@code message} (formatted), then the event's key-value pairs as
 * top-level keys (numbers and booleans as such, anything else as a string; a pair named like one of
 * the fixed keys goes under {@code kv} instead), {@code mdc} (an object, when the event has any)
 * and {@code exception} (the stack trace, when there is one).
 *
 * <p>Not Logback's own {@code JsonEncoder}: its {@code message} is the unformatted template
 * ({@code "{}: publishing {}"}, the text is in {@code formattedMessage}) and its timestamp is epoch
 * milliseconds, which makes it a different record from the text line rather than the same one.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
    private static final byte[] NONE = new byte[0];
    /** The keys of every line: a key-value pair may not replace them. */
    private static final Set<String> RESERVED =
            Set.of("timestamp", "level", "thread", "logger", "message", "mdc", "kv", "exception");

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", TIMESTAMP.format(event.getInstant()));
        line.put("level", event.getLevel().toString());
        line.put("thread", event.getThreadName());
        line.put("logger", event.getLoggerName());
        line.put("message", event.getFormattedMessage());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null && !pairs.isEmpty()) {
            Map<String, Object> clashing = new LinkedHashMap<>();
            for (KeyValuePair pair : pairs) {
                (RESERVED.contains(pair.key) ? clashing : line).put(pair.key, value(pair.value));
            }
            if (!clashing.isEmpty()) {
                line.put("kv", clashing);
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            line.put("mdc", new LinkedHashMap<>(mdc));
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.put("exception", ThrowableProxyUtil.asString(thrown));
        }
        return (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Object value(Object value) {
        return value == null || value instanceof Number || value instanceof Boolean ? value : String.valueOf(value);
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
