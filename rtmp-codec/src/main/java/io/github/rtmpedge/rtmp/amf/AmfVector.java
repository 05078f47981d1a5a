package io.github.rtmpedge.rtmp.amf;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * AMF3 Vector (markers 0x0D-0x10, AMF3 spec 3.15). Items are {@link Integer} for
 * {@link Kind#INT}, {@link Long} for {@link Kind#UINT}, {@link Double} for {@link Kind#DOUBLE} and
 * any model value for {@link Kind#OBJECT}.
 *
 * @param objectTypeName the item type name of an object vector ({@code "*"} or empty for any), null
 *                       for the numeric kinds
 */
public record AmfVector(Kind kind, boolean fixed, String objectTypeName, List<Object> items) {

    public enum Kind {
        INT,
        UINT,
        DOUBLE,
        OBJECT
    }

    public AmfVector {
        Objects.requireNonNull(kind, "kind");
        items = Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }
}
