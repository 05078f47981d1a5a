package io.github.rtmpedge.rtmp.amf;

import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 (Adobe "Action Message Format -- AMF 0", 2007) into the model described in
 * {@link Amf}.
 *
 * <p>Reads only the readable region of the buffer and advances its reader index past what it
 * decoded; after an exception the reader index is unspecified. Malformed or truncated input raises
 * {@link AmfException} naming the marker and its offset (relative to the reader index at the call);
 * a bound of {@link AmfLimits} raises {@link RtmpLimitExceededException} before anything is
 * allocated for the offending value. Recursion depth is bounded by {@link AmfLimits#maxDepth()}.
 *
 * <p>References (0x07, spec 2.9) resolve to the earlier complex value (object, typed object,
 * ECMA array, strict array) they point at; a reference to a value that is still being read (a
 * cycle) cannot be represented by immutable values and is rejected. The record set marker (0x0E,
 * reserved) is rejected; unsupported (0x0D) decodes to {@link Amf#UNSUPPORTED}. The AVM+ marker
 * (0x11, spec 3.1) switches to AMF3 for exactly one value, with fresh AMF3 reference tables.
 */
public final class Amf0Reader {

    private final ByteBuf in;
    private final AmfLimits limits;
    private final int base;
    /** Complex values in order of appearance; null while a value is still being read. */
    private final List<Object> references = new ArrayList<>();

    private int depth;
    private final ExpansionBudget budget;

    private Amf0Reader(ByteBuf in, AmfLimits limits) {
        this.in = in;
        this.limits = limits;
        this.budget = new ExpansionBudget(limits);
        this.base = in.readerIndex();
    }

    /** Reads one AMF0 value. */
    public static Object read(ByteBuf in, AmfLimits limits) {
        Amf0Reader reader = new Amf0Reader(in, limits);
        return reader.value();
    }

    /**
     * Reads AMF0 values until the buffer has no readable bytes left, as in a command or data message
     * body. References may point at complex values of earlier values in the same body. The list is
     * unmodifiable and may hold nulls.
     */
    public static List<Object> readAll(ByteBuf in, AmfLimits limits) {
        Amf0Reader reader = new Amf0Reader(in, limits);
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(reader.value());
        }
        return Collections.unmodifiableList(values);
    }

    private Object value() {
        budget.value();
        int offset = offset();
        need(1, "marker", offset);
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0Marker.NUMBER:
                need(8, "number", offset);
                return in.readDouble();
            case Amf0Marker.BOOLEAN:
                need(1, "boolean", offset);
                return in.readByte() != 0;
            case Amf0Marker.STRING:
                need(2, "string length", offset);
                return utf8(in.readUnsignedShort(), "string", offset);
            case Amf0Marker.OBJECT:
                return object();
            case Amf0Marker.MOVIECLIP:
                throw new AmfException("AMF0 movieclip marker 0x04 (reserved) at offset " + offset);
            case Amf0Marker.NULL:
                return null;
            case Amf0Marker.UNDEFINED:
                return Amf.UNDEFINED;
            case Amf0Marker.REFERENCE:
                return reference(offset);
            case Amf0Marker.ECMA_ARRAY:
                return ecmaArray(offset);
            case Amf0Marker.OBJECT_END:
                throw new AmfException("AMF0 object-end marker 0x09 outside an object at offset " + offset);
            case Amf0Marker.STRICT_ARRAY:
                return strictArray(offset);
            case Amf0Marker.DATE:
                need(10, "date", offset);
                return new AmfDate(in.readDouble(), in.readShort());
            case Amf0Marker.LONG_STRING:
                return utf8(longLength("long string", offset), "long string", offset);
            case Amf0Marker.UNSUPPORTED:
                return Amf.UNSUPPORTED;
            case Amf0Marker.RECORDSET:
                throw new AmfException("AMF0 recordset marker 0x0E (reserved) at offset " + offset);
            case Amf0Marker.XML_DOCUMENT:
                return new AmfXmlDocument(utf8(longLength("XML document", offset), "XML document", offset));
            case Amf0Marker.TYPED_OBJECT:
                return typedObject(offset);
            case Amf0Marker.AVMPLUS:
                return Amf3Reader.readSwitched(in, limits, depth, base);
            default:
                throw new AmfException("unknown AMF0 marker 0x" + Integer.toHexString(marker) + " at offset " + offset);
        }
    }

    private AmfObject object() {
        int ref = enter();
        AmfObject o = AmfObject.copyOf(properties("object"));
        return leave(ref, o);
    }

    private AmfTypedObject typedObject(int offset) {
        need(2, "typed object class name length", offset);
        String className = utf8(in.readUnsignedShort(), "typed object class name", offset);
        int ref = enter();
        AmfTypedObject o = new AmfTypedObject(className, AmfObject.copyOf(properties("typed object")));
        return leave(ref, o);
    }

    private AmfEcmaArray ecmaArray(int offset) {
        // The associative-count (spec 2.10) is a hint only: encoders write 0 or wrong counts.
        need(4, "ECMA array count", offset);
        in.skipBytes(4);
        int ref = enter();
        AmfEcmaArray a = AmfEcmaArray.copyOf(properties("ECMA array"));
        return leave(ref, a);
    }

    /** object-property* followed by the empty name and object-end-marker (spec 2.5). */
    private Map<String, Object> properties(String what) {
        Map<String, Object> props = new LinkedHashMap<>();
        while (true) {
            int nameOffset = offset();
            need(2, what + " property name length", nameOffset);
            int nameLength = in.readUnsignedShort();
            if (nameLength == 0) {
                need(1, what + " end or property value", nameOffset);
                if (in.getUnsignedByte(in.readerIndex()) == Amf0Marker.OBJECT_END) {
                    in.skipBytes(1);
                    return props;
                }
            }
            String name = utf8(nameLength, what + " property name", nameOffset);
            if (!props.containsKey(name) && props.size() >= limits.maxElements()) {
                throw new RtmpLimitExceededException(AmfLimits.MAX_ELEMENTS, limits.maxElements(), props.size() + 1L);
            }
            props.put(name, value());
        }
    }

    private List<Object> strictArray(int offset) {
        need(4, "strict array count", offset);
        long count = in.readUnsignedInt();
        if (count > limits.maxElements()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_ELEMENTS, limits.maxElements(), count);
        }
        if (count > in.readableBytes()) {
            // Every value takes at least its marker byte.
            throw new AmfException("AMF0 strict array at offset " + offset + " claims " + count + " items but only "
                    + in.readableBytes() + " bytes remain");
        }
        int ref = enter();
        List<Object> items =
                new ArrayList<>((int) Math.min(count, in.readableBytes())); // each item takes a byte at least
        for (long i = 0; i < count; i++) {
            items.add(value());
        }
        return leave(ref, Collections.unmodifiableList(items));
    }

    private Object reference(int offset) {
        need(2, "reference index", offset);
        int index = in.readUnsignedShort();
        if (index >= references.size()) {
            throw new AmfException("AMF0 reference at offset " + offset + " to index " + index + " but only "
                    + references.size() + " complex values were read");
        }
        Object target = references.get(index);
        if (target == null) {
            throw new AmfException("AMF0 reference at offset " + offset + " to index " + index
                    + " which is still being read (cyclic references are not supported)");
        }
        budget.reference(index);
        return target;
    }

    /** Registers a complex value in the reference table and enters one nesting level. */
    private int enter() {
        if (depth >= limits.maxDepth()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_DEPTH, limits.maxDepth(), depth + 1L);
        }
        if (references.size() >= limits.maxReferences()) {
            throw new RtmpLimitExceededException(
                    AmfLimits.MAX_REFERENCES, limits.maxReferences(), references.size() + 1L);
        }
        depth++;
        references.add(null);
        budget.enter(references.size() - 1);
        return references.size() - 1;
    }

    private <T> T leave(int ref, T value) {
        references.set(ref, value);
        budget.leave(ref);
        depth--;
        return value;
    }

    private long longLength(String what, int offset) {
        need(4, what + " length", offset);
        return in.readUnsignedInt();
    }

    private String utf8(long length, String what, int offset) {
        if (length > limits.maxStringLength()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_STRING_LENGTH, limits.maxStringLength(), length);
        }
        need(length, what, offset);
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    private void need(long bytes, String what, int offset) {
        if (in.readableBytes() < bytes) {
            throw new AmfException("truncated AMF0 " + what + " at offset " + offset + ": needs " + bytes
                    + " bytes at offset " + offset() + ", " + in.readableBytes() + " remain");
        }
    }

    private int offset() {
        return in.readerIndex() - base;
    }
}
