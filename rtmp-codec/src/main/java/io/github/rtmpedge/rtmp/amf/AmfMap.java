package io.github.rtmpedge.rtmp.amf;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, insertion-ordered {@code Map<String, Object>} of AMF values (values may be null),
 * with typed getters for reading RTMP command objects.
 *
 * <p>The typed getters return {@code null} when the key is absent or maps to AMF null/undefined,
 * and throw {@link AmfException} when the value has another type: a peer that sends
 * {@code app: 5} gets a clear error rather than a silently ignored field.
 */
public abstract sealed class AmfMap extends AbstractMap<String, Object> permits AmfObject, AmfEcmaArray {

    private final Map<String, Object> entries;

    AmfMap(Map<String, ?> entries) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, entries.size() * 4 / 3 + 1));
        for (Map.Entry<String, ?> e : entries.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("AMF property names cannot be null");
            }
            copy.put(e.getKey(), e.getValue());
        }
        this.entries = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public Object get(Object key) {
        return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** The string under {@code key}; null when absent or null. */
    public String string(String key) {
        return typed(key, String.class, "a string");
    }

    /** The number under {@code key} as a double (AMF0 and AMF3 numbers alike); null when absent. */
    public Double number(String key) {
        Number n = typed(key, Number.class, "a number");
        return n == null ? null : n.doubleValue();
    }

    /** The boolean under {@code key}; null when absent or null. */
    public Boolean bool(String key) {
        return typed(key, Boolean.class, "a boolean");
    }

    /** The object or ECMA array under {@code key}; null when absent or null. */
    public AmfMap map(String key) {
        return typed(key, AmfMap.class, "an object");
    }

    /** The anonymous object under {@code key}; null when absent or null. */
    public AmfObject object(String key) {
        return typed(key, AmfObject.class, "an object");
    }

    /** The strict array under {@code key}; null when absent or null. */
    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        return typed(key, List.class, "a strict array");
    }

    private <T> T typed(String key, Class<T> type, String expected) {
        Object v = entries.get(key);
        if (v == null || v == Amf.UNDEFINED) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw new AmfException("property '" + key + "' is " + describe(v) + ", expected " + expected);
        }
        return type.cast(v);
    }

    static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
