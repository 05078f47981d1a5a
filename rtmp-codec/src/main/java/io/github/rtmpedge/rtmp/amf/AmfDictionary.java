package io.github.rtmpedge.rtmp.amf;

import java.util.Collections;
import java.util.List;

/**
 * AMF3 Dictionary (marker 0x11, AMF3 spec 3.16): keys are arbitrary values, so the entries are kept
 * as an ordered list of pairs rather than a map.
 */
public record AmfDictionary(boolean weakKeys, List<Entry> entries) {

    /** One key/value pair; either may be null. */
    public record Entry(Object key, Object value) {}

    public AmfDictionary {
        entries = Collections.unmodifiableList(new java.util.ArrayList<>(entries));
    }
}
