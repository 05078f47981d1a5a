package io.github.rtmpedge.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java values as AMF0 (Adobe "Action Message Format -- AMF 0", 2007).
 *
 * <p>Mapping: any {@link Number} → number (0x00, as a double); {@link Boolean} → boolean (0x01);
 * {@link String} → string (0x02), or long string (0x0C) when its UTF-8 form exceeds 65 535 bytes;
 * {@code null} → null (0x05); {@link Amf#UNDEFINED} → undefined (0x06); {@link Amf#UNSUPPORTED} →
 * unsupported (0x0D); {@link AmfEcmaArray} → ECMA array (0x08, count = size); {@link AmfObject} and
 * any other {@code Map<String, ?>} → anonymous object (0x03); {@link List} → strict array (0x0A);
 * {@link AmfDate} → date (0x0B); {@link AmfXmlDocument} → XML document (0x0F);
 * {@link AmfTypedObject} → typed object (0x10). References (0x07) are never written: a value that
 * appears twice is written twice. Other types (including the AMF3-only ones) raise
 * {@link IllegalArgumentException}, as do map keys that are not strings or exceed 65 535 UTF-8 bytes.
 */
public final class Amf0Writer {

    private static final int MAX_SHORT_STRING = 0xFFFF;
    /** Guards against cyclic maps or lists, which would otherwise overflow the stack. */
    private static final int MAX_DEPTH = 1_000;

    private Amf0Writer() {}

    public static void write(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    public static void writeAll(ByteBuf out, List<?> values) {
        for (Object v : values) {
            write(out, v, 0);
        }
    }

    public static void writeAll(ByteBuf out, Object... values) {
        writeAll(out, java.util.Arrays.asList(values));
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF value nested deeper than " + MAX_DEPTH + " (cyclic?)");
        }
        if (value == null) {
            out.writeByte(Amf0Marker.NULL);
        } else if (value instanceof Number n) {
            out.writeByte(Amf0Marker.NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(Amf0Marker.BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value == Amf.UNDEFINED) {
            out.writeByte(Amf0Marker.UNDEFINED);
        } else if (value == Amf.UNSUPPORTED) {
            out.writeByte(Amf0Marker.UNSUPPORTED);
        } else if (value instanceof AmfEcmaArray a) {
            out.writeByte(Amf0Marker.ECMA_ARRAY);
            out.writeInt(a.size());
            writeProperties(out, a, depth);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte(Amf0Marker.OBJECT);
            writeProperties(out, m, depth);
        } else if (value instanceof List<?> list) {
            out.writeByte(Amf0Marker.STRICT_ARRAY);
            out.writeInt(list.size());
            for (Object item : list) {
                write(out, item, depth + 1);
            }
        } else if (value instanceof AmfDate d) {
            out.writeByte(Amf0Marker.DATE);
            out.writeDouble(d.millis());
            out.writeShort(d.timezone());
        } else if (value instanceof AmfXmlDocument x) {
            out.writeByte(Amf0Marker.XML_DOCUMENT);
            writeLongUtf8(out, x.xml());
        } else if (value instanceof AmfTypedObject t) {
            out.writeByte(Amf0Marker.TYPED_OBJECT);
            writeShortUtf8(out, t.className(), "typed object class name");
            writeProperties(out, t.properties(), depth);
        } else {
            throw new IllegalArgumentException(
                    "no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static void writeString(ByteBuf out, String s) {
        if (ByteBufUtil.utf8Bytes(s) > MAX_SHORT_STRING) {
            out.writeByte(Amf0Marker.LONG_STRING);
            writeLongUtf8(out, s);
        } else {
            out.writeByte(Amf0Marker.STRING);
            writeShortUtf8(out, s, "string");
        }
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> properties, int depth) {
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new IllegalArgumentException(
                        "AMF0 property names must be strings, got " + AmfMap.describe(e.getKey()));
            }
            writeShortUtf8(out, name, "property name");
            write(out, e.getValue(), depth + 1);
        }
        out.writeShort(0);
        out.writeByte(Amf0Marker.OBJECT_END);
    }

    private static void writeShortUtf8(ByteBuf out, String s, String what) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > MAX_SHORT_STRING) {
            throw new IllegalArgumentException("AMF0 " + what + " of " + length + " UTF-8 bytes exceeds 65535");
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeLongUtf8(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        out.writeInt(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }
}
