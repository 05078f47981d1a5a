package io.github.rtmpedge.rtmp.amf;

/**
 * AMF0 date (marker 0x0B, AMF0 spec 2.13): milliseconds since the Unix epoch (UTC) and a time zone
 * field that the spec says should be 0 and readers ignore. AMF3 dates (0x08) decode with timezone 0.
 */
public record AmfDate(double millis, short timezone) {

    public static AmfDate ofMillis(double millis) {
        return new AmfDate(millis, (short) 0);
    }
}
