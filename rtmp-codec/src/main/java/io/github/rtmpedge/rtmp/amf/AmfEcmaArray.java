package io.github.rtmpedge.rtmp.amf;

import java.util.Map;

/**
 * AMF0 ECMA array (marker 0x08, AMF0 spec 2.10): an associative array, decoded like an object.
 *
 * <p>The wire's 32-bit count is only a hint (encoders write 0, or the wrong number) and is not
 * kept: the reader reads entries until the object-end marker, the writer writes {@link #size()}.
 * AMF3 arrays with an associative part also decode to this type, their dense items under the keys
 * {@code "0"}, {@code "1"}, ... after the associative entries.
 */
public final class AmfEcmaArray extends AmfMap {

    private AmfEcmaArray(Map<String, ?> entries) {
        super(entries);
    }

    public static AmfEcmaArray copyOf(Map<String, ?> entries) {
        return entries instanceof AmfEcmaArray a ? a : new AmfEcmaArray(entries);
    }

    /** An ECMA array from alternating names and values. */
    public static AmfEcmaArray of(Object... namesAndValues) {
        return new AmfEcmaArray(AmfObject.of(namesAndValues));
    }
}
