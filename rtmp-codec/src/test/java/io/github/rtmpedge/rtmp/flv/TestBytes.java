package io.github.rtmpedge.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds golden payloads from hex bytes and ASCII FOURCCs. */
final class TestBytes {

    private TestBytes() {}

    /**
     * A wrapped heap buffer (not reference-count tracked) of the given parts: hex byte pairs
     * separated by spaces, or ASCII when the part starts with {@code '} (e.g. {@code "'hvc1"}).
     * Two junk bytes precede the payload and readerIndex skips them, so every test also proves that
     * reads are relative to readerIndex.
     */
    static ByteBuf payload(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xEE);
        out.write(0xEE);
        for (String part : parts) {
            if (part.startsWith("'")) {
                out.writeBytes(part.substring(1).getBytes(StandardCharsets.US_ASCII));
            } else if (!part.isBlank()) {
                for (String b : part.trim().split("\\s+")) {
                    out.write(Integer.parseInt(b, 16));
                }
            }
        }
        return Unpooled.wrappedBuffer(out.toByteArray()).readerIndex(2);
    }
}
