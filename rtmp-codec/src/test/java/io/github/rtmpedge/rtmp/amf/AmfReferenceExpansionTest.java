package io.github.rtmpedge.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * References let a few bytes describe an exponentially large value ("billion laughs"): each
 * reference is charged the size of what it points at, so the expanded size stays within
 * {@code amf.max_elements}.
 */
class AmfReferenceExpansionTest {

    /** {} then 40 objects, each {a: ref(previous), b: ref(previous)}: 2^40 values once expanded. */
    private static ByteBuf doublingAmf0(int levels) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(0x03).writeShort(0).writeByte(0x09); // object 0: {}
        for (int k = 1; k <= levels; k++) {
            buf.writeByte(0x03); // object marker
            buf.writeShort(1).writeByte('a').writeByte(0x07).writeShort(k - 1); // a: reference k-1
            buf.writeShort(1).writeByte('b').writeByte(0x07).writeShort(k - 1); // b: reference k-1
            buf.writeShort(0).writeByte(0x09); // object end
        }
        return buf;
    }

    @Test
    void amf0DoublingReferencesHitTheElementLimit() {
        ByteBuf buf = doublingAmf0(40);
        try {
            RtmpLimitExceededException e =
                    assertThrows(RtmpLimitExceededException.class, () -> Amf0Reader.readAll(buf, AmfLimits.DEFAULT));
            assertEquals(AmfLimits.MAX_ELEMENTS, e.limit());
        } finally {
            buf.release();
        }
    }

    @Test
    void amf0ModestReferencesStillWork() {
        ByteBuf buf = doublingAmf0(3); // 1 + 3 + 7 + 15 values expanded: well within the limit
        try {
            List<Object> values = Amf0Reader.readAll(buf, AmfLimits.DEFAULT);
            assertEquals(4, values.size());
            AmfObject third = (AmfObject) values.get(3);
            assertEquals(values.get(2), third.get("a"));
        } finally {
            buf.release();
        }
    }

    @Test
    void amf3DoublingObjectReferencesHitTheElementLimit() {
        ByteBuf buf = Unpooled.buffer();
        // dense arrays: [] then 40 arrays [ref(previous), ref(previous)]
        buf.writeByte(0x09).writeByte(0x01).writeByte(0x01); // array, 0 dense, no assoc part (empty name)
        for (int k = 1; k <= 40; k++) {
            buf.writeByte(0x09).writeByte(0x05).writeByte(0x01); // array, 2 dense items, empty name
            buf.writeByte(0x09).writeByte((k - 1) << 1); // array reference k-1
            buf.writeByte(0x09).writeByte((k - 1) << 1);
        }
        try {
            RtmpLimitExceededException e =
                    assertThrows(RtmpLimitExceededException.class, () -> Amf3Reader.readAll(buf, AmfLimits.DEFAULT));
            assertEquals(AmfLimits.MAX_ELEMENTS, e.limit());
        } finally {
            buf.release();
        }
    }
}
