package io.github.rtmpedge.rtmp.amf;

/**
 * Bounds applied while decoding AMF from a peer. Every bound is checked before anything is
 * allocated for the value that would exceed it; violations raise
 * {@link io.github.rtmpedge.rtmp.RtmpLimitExceededException} with the limit names below.
 *
 * @param maxDepth        nesting of containers (objects, arrays, ...), limit {@code amf.max_depth}
 * @param maxStringLength bytes of one string, XML document or byte array, limit
 *                        {@code amf.max_string_length}
 * @param maxElements     entries of one container (array items, object members, sealed traits),
 *                        limit {@code amf.max_elements}
 * @param maxReferences   entries of one reference table (AMF0 objects; AMF3 strings, objects and
 *                        traits), limit {@code amf.max_references}
 */
public record AmfLimits(int maxDepth, int maxStringLength, int maxElements, int maxReferences) {

    public static final String MAX_DEPTH = "amf.max_depth";
    public static final String MAX_STRING_LENGTH = "amf.max_string_length";
    public static final String MAX_ELEMENTS = "amf.max_elements";
    public static final String MAX_REFERENCES = "amf.max_references";

    /** Safe defaults for RTMP commands and metadata: depth 64, strings 1 MiB, 65 536 elements. */
    public static final AmfLimits DEFAULT = new AmfLimits(64, 1 << 20, 65_536, 65_536);

    public AmfLimits {
        if (maxDepth < 1 || maxStringLength < 0 || maxElements < 0 || maxReferences < 0) {
            throw new IllegalArgumentException("AMF limits must be positive: depth " + maxDepth
                    + ", string " + maxStringLength + ", elements " + maxElements
                    + ", references " + maxReferences);
        }
    }
}
