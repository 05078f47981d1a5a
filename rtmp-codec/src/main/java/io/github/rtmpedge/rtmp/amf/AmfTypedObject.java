package io.github.rtmpedge.rtmp.amf;

import java.util.Objects;

/**
 * AMF0 typed object (marker 0x10, AMF0 spec 2.18), and AMF3 objects whose traits carry a class
 * name: the registered class name and the properties in wire order.
 */
public record AmfTypedObject(String className, AmfObject properties) {

    public AmfTypedObject {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(properties, "properties");
    }
}
