package io.github.rtmpedge.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** Test helpers: golden bytes written as hex fields, decoded and encoded without leaking. */
public final class AmfBytes {

    private AmfBytes() {}

    /** Concatenates hex fields (spaces allowed) into bytes. */
    public static byte[] hex(String... fields) {
        return ByteBufUtil.decodeHexDump(String.join("", fields).replace(" ", ""));
    }

    /** The hex of a UTF-8 string's bytes, for readable golden vectors. */
    public static String utf8(String s) {
        return ByteBufUtil.hexDump(s.getBytes(StandardCharsets.UTF_8));
    }

    public static <T> T withBuffer(byte[] bytes, Function<ByteBuf, T> body) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return body.apply(buf);
        } finally {
            buf.release();
        }
    }

    public static Object read0(byte[] bytes) {
        return withBuffer(bytes, b -> {
            Object v = Amf0Reader.read(b, AmfLimits.DEFAULT);
            if (b.isReadable()) {
                throw new AssertionError(b.readableBytes() + " bytes left unread");
            }
            return v;
        });
    }

    public static List<Object> readAll0(byte[] bytes) {
        return withBuffer(bytes, b -> Amf0Reader.readAll(b, AmfLimits.DEFAULT));
    }

    public static Object read3(byte[] bytes) {
        return withBuffer(bytes, b -> {
            Object v = Amf3Reader.read(b, AmfLimits.DEFAULT);
            if (b.isReadable()) {
                throw new AssertionError(b.readableBytes() + " bytes left unread");
            }
            return v;
        });
    }

    public static byte[] write0(Object... values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.writeAll(buf, values);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
