package io.github.rtmpedge.rtmp.amf;

import java.util.Arrays;

/** AMF3 ByteArray (marker 0x0C, AMF3 spec 3.14). Immutable: the bytes are copied in and out. */
public final class AmfByteArray {

    private final byte[] bytes;

    public AmfByteArray(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmfByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AmfByteArray[" + bytes.length + " bytes]";
    }
}
