package io.github.rtmpedge.rtmp.amf;

/**
 * Sentinel values of the AMF value model that have no natural Java counterpart.
 *
 * <p>The rest of the model is plain Java: AMF0 number → {@link Double}, boolean → {@link Boolean},
 * string and long string → {@link String}, null → Java {@code null}, anonymous object →
 * {@link AmfObject}, ECMA array → {@link AmfEcmaArray}, strict array → unmodifiable
 * {@code List<Object>}, date → {@link AmfDate}, XML document → {@link AmfXmlDocument}, typed object →
 * {@link AmfTypedObject}.
 */
public enum Amf {
    /** AMF0 undefined-marker (0x06), AMF3 undefined-marker (0x00). */
    UNDEFINED,
    /**
     * AMF0 unsupported-marker (0x0D, AMF0 spec 2.14): the sender could not serialise a value. Kept
     * as a sentinel so that a command carrying one still decodes; the writer emits it back as 0x0D.
     */
    UNSUPPORTED
}
