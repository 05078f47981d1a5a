package io.github.rtmpedge.rtmp.amf;

import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Decodes AMF3 (Adobe "Action Message Format -- AMF 3", 2013) into the same model as
 * {@link Amf0Reader}.
 *
 * <p>Mapping: undefined → {@link Amf#UNDEFINED}; null → {@code null}; false/true →
 * {@link Boolean}; <b>integer (U29, sign-extended) → {@link Double}</b>, like every AMF number, so
 * that a transaction id or stream id reads the same whatever the encoding; double → {@link Double};
 * string → {@link String}; XMLDocument and XML → {@link AmfXmlDocument}; date → {@link AmfDate}
 * (timezone 0); array → unmodifiable {@code List<Object>} when it has no associative part, else
 * {@link AmfEcmaArray} (associative entries, then dense items under "0", "1", ...); object →
 * {@link AmfObject}, or {@link AmfTypedObject} when its traits name a class; ByteArray →
 * {@link AmfByteArray}; vectors → {@link AmfVector}; dictionary → {@link AmfDictionary}.
 * Externalizable objects (traits flag 0b0111) cannot be decoded without knowing the class and are
 * rejected with {@link AmfException}.
 *
 * <p>String, object and traits reference tables (spec 2.2) are bounded by
 * {@link AmfLimits#maxReferences()}; references to a missing entry, or to an object still being
 * read (a cycle, which immutable values cannot represent), are rejected. Error discipline,
 * offsets and limits are as in {@link Amf0Reader}.
 */
public final class Amf3Reader {

    private static final int UNDEFINED = 0x00;
    private static final int NULL = 0x01;
    private static final int FALSE = 0x02;
    private static final int TRUE = 0x03;
    private static final int INTEGER = 0x04;
    private static final int DOUBLE = 0x05;
    private static final int STRING = 0x06;
    private static final int XML_DOC = 0x07;
    private static final int DATE = 0x08;
    private static final int ARRAY = 0x09;
    private static final int OBJECT = 0x0A;
    private static final int XML = 0x0B;
    private static final int BYTE_ARRAY = 0x0C;
    private static final int VECTOR_INT = 0x0D;
    private static final int VECTOR_UINT = 0x0E;
    private static final int VECTOR_DOUBLE = 0x0F;
    private static final int VECTOR_OBJECT = 0x10;
    private static final int DICTIONARY = 0x11;

    private record Traits(String className, boolean dynamic, List<String> sealedNames) {}

    private final ByteBuf in;
    private final AmfLimits limits;
    private final int base;
    private final List<String> strings = new ArrayList<>();
    /** Complex values in order of appearance; null while a value is still being read. */
    private final List<Object> objects = new ArrayList<>();

    private final List<Traits> traits = new ArrayList<>();
    private int depth;
    private final ExpansionBudget budget;

    private Amf3Reader(ByteBuf in, AmfLimits limits, int depth, int base) {
        this.in = in;
        this.limits = limits;
        this.budget = new ExpansionBudget(limits);
        this.depth = depth;
        this.base = base;
    }

    /** Reads one AMF3 value. */
    public static Object read(ByteBuf in, AmfLimits limits) {
        return new Amf3Reader(in, limits, 0, in.readerIndex()).value();
    }

    /**
     * Reads AMF3 values until the buffer has no readable bytes left; the values share one set of
     * reference tables. The list is unmodifiable and may hold nulls.
     */
    public static List<Object> readAll(ByteBuf in, AmfLimits limits) {
        Amf3Reader reader = new Amf3Reader(in, limits, 0, in.readerIndex());
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(reader.value());
        }
        return Collections.unmodifiableList(values);
    }

    /** One value after an AMF0 avmplus-object-marker (AMF0 spec 3.1), with fresh tables. */
    static Object readSwitched(ByteBuf in, AmfLimits limits, int depth, int base) {
        return new Amf3Reader(in, limits, depth, base).value();
    }

    private Object value() {
        budget.value();
        int offset = offset();
        need(1, "marker", offset);
        int marker = in.readUnsignedByte();
        switch (marker) {
            case UNDEFINED:
                return Amf.UNDEFINED;
            case NULL:
                return null;
            case FALSE:
                return false;
            case TRUE:
                return true;
            case INTEGER:
                // U29 holds a 29-bit two's complement integer (spec 3.6).
                return (double) ((u29("integer", offset) << 3) >> 3);
            case DOUBLE:
                need(8, "double", offset);
                return in.readDouble();
            case STRING:
                return string("string", offset);
            case XML_DOC:
            case XML:
                return xml(offset);
            case DATE:
                return date(offset);
            case ARRAY:
                return array(offset);
            case OBJECT:
                return object(offset);
            case BYTE_ARRAY:
                return byteArray(offset);
            case VECTOR_INT:
            case VECTOR_UINT:
            case VECTOR_DOUBLE:
            case VECTOR_OBJECT:
                return vector(marker, offset);
            case DICTIONARY:
                return dictionary(offset);
            default:
                throw new AmfException("unknown AMF3 marker 0x" + Integer.toHexString(marker) + " at offset " + offset);
        }
    }

    /** UTF-8-vr (spec 1.3.2): inline string or reference into the string table. */
    private String string(String what, int offset) {
        int header = u29(what + " header", offset);
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("AMF3 " + what + " at offset " + offset + " references string " + index
                        + " but only " + strings.size() + " were read");
            }
            return strings.get(index);
        }
        int length = header >>> 1;
        if (length == 0) {
            return ""; // the empty string is never sent by reference (spec 1.3.2)
        }
        String s = utf8(length, what, offset);
        addReference(strings, s);
        return s;
    }

    private Object xml(int offset) {
        int header = u29("XML header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "XML", offset);
        }
        AmfXmlDocument xml = new AmfXmlDocument(utf8(header >>> 1, "XML", offset));
        addReference(objects, xml);
        return xml;
    }

    private Object date(int offset) {
        int header = u29("date header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "date", offset);
        }
        need(8, "date", offset);
        AmfDate date = AmfDate.ofMillis(in.readDouble());
        addReference(objects, date);
        return date;
    }

    private Object byteArray(int offset) {
        int header = u29("ByteArray header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "ByteArray", offset);
        }
        int length = header >>> 1;
        if (length > limits.maxStringLength()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_STRING_LENGTH, limits.maxStringLength(), length);
        }
        need(length, "ByteArray", offset);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        AmfByteArray array = new AmfByteArray(bytes);
        addReference(objects, array);
        return array;
    }

    private Object array(int offset) {
        int header = u29("array header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "array", offset);
        }
        int denseCount = header >>> 1;
        checkCount(denseCount, 1, "array", offset);
        int ref = enter();
        LinkedHashMap<String, Object> associative = new LinkedHashMap<>();
        while (true) {
            String name = string("array key", offset);
            if (name.isEmpty()) {
                break;
            }
            checkElements(associative.size() + (long) denseCount + 1);
            associative.put(name, value());
        }
        checkCount(denseCount, 1, "array", offset);
        List<Object> dense = new ArrayList<>(denseCount);
        for (int i = 0; i < denseCount; i++) {
            dense.add(value());
        }
        if (associative.isEmpty()) {
            return leave(ref, Collections.unmodifiableList(dense));
        }
        for (int i = 0; i < denseCount; i++) {
            associative.put(Integer.toString(i), dense.get(i));
        }
        return leave(ref, AmfEcmaArray.copyOf(associative));
    }

    private Object object(int offset) {
        int header = u29("object header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "object", offset);
        }
        Traits t = traits(header, offset);
        int ref = enter();
        LinkedHashMap<String, Object> props = new LinkedHashMap<>();
        for (String name : t.sealedNames()) {
            props.put(name, value());
        }
        if (t.dynamic()) {
            while (true) {
                String name = string("dynamic member name", offset);
                if (name.isEmpty()) {
                    break;
                }
                if (!props.containsKey(name)) {
                    checkElements(props.size() + 1L);
                }
                props.put(name, value());
            }
        }
        AmfObject properties = AmfObject.copyOf(props);
        Object result = t.className().isEmpty() ? properties : new AmfTypedObject(t.className(), properties);
        return leave(ref, result);
    }

    /** U29O-traits, U29O-traits-ref or U29O-traits-ext (spec 3.12). */
    private Traits traits(int header, int offset) {
        if ((header & 2) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw new AmfException("AMF3 object at offset " + offset + " references traits " + index + " but only "
                        + traits.size() + " were read");
            }
            return traits.get(index);
        }
        if ((header & 4) != 0) {
            String className = string("externalizable class name", offset);
            throw new AmfException("AMF3 externalizable object of class '" + className + "' at offset " + offset
                    + " is not supported");
        }
        boolean dynamic = (header & 8) != 0;
        int sealedCount = header >>> 4;
        checkElements(sealedCount);
        String className = string("class name", offset);
        checkCount(sealedCount, 1, "object traits", offset);
        List<String> names = new ArrayList<>(sealedCount);
        for (int i = 0; i < sealedCount; i++) {
            names.add(string("sealed member name", offset));
        }
        Traits t = new Traits(className, dynamic, List.copyOf(names));
        addReference(traits, t);
        return t;
    }

    private Object vector(int marker, int offset) {
        int header = u29("vector header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "vector", offset);
        }
        int count = header >>> 1;
        need(1, "vector fixed flag", offset);
        boolean fixed = in.readByte() != 0;
        AmfVector.Kind kind = switch (marker) {
            case VECTOR_INT -> AmfVector.Kind.INT;
            case VECTOR_UINT -> AmfVector.Kind.UINT;
            case VECTOR_DOUBLE -> AmfVector.Kind.DOUBLE;
            default -> AmfVector.Kind.OBJECT;
        };
        String typeName = kind == AmfVector.Kind.OBJECT ? string("vector type name", offset) : null;
        checkCount(count, kind == AmfVector.Kind.DOUBLE ? 8 : kind == AmfVector.Kind.OBJECT ? 1 : 4, "vector", offset);
        int ref = enter();
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(
                    switch (kind) {
                        case INT -> in.readInt();
                        case UINT -> in.readUnsignedInt();
                        case DOUBLE -> in.readDouble();
                        case OBJECT -> value();
                    });
        }
        return leave(ref, new AmfVector(kind, fixed, typeName, items));
    }

    private Object dictionary(int offset) {
        int header = u29("dictionary header", offset);
        if ((header & 1) == 0) {
            return objectReference(header >>> 1, "dictionary", offset);
        }
        int count = header >>> 1;
        need(1, "dictionary weak-keys flag", offset);
        boolean weakKeys = in.readByte() != 0;
        checkCount(count, 2, "dictionary", offset);
        int ref = enter();
        List<AmfDictionary.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Object key = value();
            entries.add(new AmfDictionary.Entry(key, value()));
        }
        return leave(ref, new AmfDictionary(weakKeys, entries));
    }

    private Object objectReference(int index, String what, int offset) {
        if (index >= objects.size()) {
            throw new AmfException("AMF3 " + what + " at offset " + offset + " references object " + index
                    + " but only " + objects.size() + " were read");
        }
        Object target = objects.get(index);
        if (target == null) {
            throw new AmfException("AMF3 " + what + " at offset " + offset + " references object " + index
                    + " which is still being read (cyclic references are not supported)");
        }
        budget.reference(index);
        return target;
    }

    /** A count claimed by the peer: within the element limit and the bytes that remain. */
    private void checkCount(int count, int minBytesEach, String what, int offset) {
        checkElements(count);
        if ((long) count * minBytesEach > in.readableBytes()) {
            throw new AmfException("AMF3 " + what + " at offset " + offset + " claims " + count + " items but only "
                    + in.readableBytes() + " bytes remain");
        }
    }

    private void checkElements(long count) {
        if (count > limits.maxElements()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_ELEMENTS, limits.maxElements(), count);
        }
    }

    private <T> void addReference(List<T> table, T value) {
        if (table.size() >= limits.maxReferences()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_REFERENCES, limits.maxReferences(), table.size() + 1L);
        }
        table.add(value);
    }

    private int enter() {
        if (depth >= limits.maxDepth()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_DEPTH, limits.maxDepth(), depth + 1L);
        }
        addReference(objects, null);
        depth++;
        budget.enter(objects.size() - 1);
        return objects.size() - 1;
    }

    private <T> T leave(int ref, T value) {
        objects.set(ref, value);
        budget.leave(ref);
        depth--;
        return value;
    }

    /** U29 (spec 1.3.1): 1-4 bytes, 7 bits per byte with a continuation bit, 8 bits in the fourth. */
    private int u29(String what, int offset) {
        int result = 0;
        for (int i = 0; i < 3; i++) {
            need(1, what, offset);
            int b = in.readUnsignedByte();
            if ((b & 0x80) == 0) {
                return (result << 7) | b;
            }
            result = (result << 7) | (b & 0x7F);
        }
        need(1, what, offset);
        return (result << 8) | in.readUnsignedByte();
    }

    private String utf8(int length, String what, int offset) {
        if (length > limits.maxStringLength()) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_STRING_LENGTH, limits.maxStringLength(), length);
        }
        need(length, what, offset);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private void need(long bytes, String what, int offset) {
        if (in.readableBytes() < bytes) {
            throw new AmfException("truncated AMF3 " + what + " at offset " + offset + ": needs " + bytes
                    + " bytes at offset " + offset() + ", " + in.readableBytes() + " remain");
        }
    }

    private int offset() {
        return in.readerIndex() - base;
    }
}
