package io.github.rtmpedge.rtmp.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AMF0 anonymous object (marker 0x03, AMF0 spec 2.5), and AMF3 objects without a class name:
 * an immutable insertion-ordered map of property names to values.
 */
public final class AmfObject extends AmfMap {

    public static final AmfObject EMPTY = new AmfObject(Map.of());

    private AmfObject(Map<String, ?> entries) {
        super(entries);
    }

    /** An object with the entries of {@code entries}, in its iteration order. */
    public static AmfObject copyOf(Map<String, ?> entries) {
        return entries instanceof AmfObject o ? o : new AmfObject(entries);
    }

    /** An object from alternating names and values: {@code of("app", "live", "objectEncoding", 0.0)}. */
    public static AmfObject of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("property name at " + i + " is not a string");
            }
            b.put(name, namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects properties in insertion order; a repeated name replaces the value in place. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(String name, Object value) {
            if (name == null) {
                throw new IllegalArgumentException("AMF property names cannot be null");
            }
            entries.put(name, value);
            return this;
        }

        /** Adds the property only when {@code value} is not null. */
        public Builder putIfNotNull(String name, Object value) {
            return value == null ? this : put(name, value);
        }

        public Builder putAll(Map<String, ?> values) {
            values.forEach(this::put);
            return this;
        }

        public AmfObject build() {
            return new AmfObject(entries);
        }
    }
}
