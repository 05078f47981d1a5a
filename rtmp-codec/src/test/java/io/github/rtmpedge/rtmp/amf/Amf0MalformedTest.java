package io.github.rtmpedge.rtmp.amf;

import static io.github.rtmpedge.rtmp.amf.AmfBytes.hex;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.read0;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.readAll0;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.write0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile AMF0 input: only AmfException or RtmpLimitExceededException may escape. */
class Amf0MalformedTest {

    /** A representative value touching most markers. */
    private static final Object REPRESENTATIVE = AmfObject.of(
            "name",
            "connect",
            "n",
            1.0,
            "b",
            true,
            "nil",
            null,
            "u",
            Amf.UNDEFINED,
            "ecma",
            AmfEcmaArray.of("k", "v"),
            "list",
            Arrays.asList(1.0, null, "s"),
            "date",
            AmfDate.ofMillis(0),
            "xml",
            new AmfXmlDocument("<x/>"),
            "typed",
            new AmfTypedObject("T", AmfObject.of("p", 2.0)));

    @Test
    void truncatedAtEveryOffsetFailsCleanly() {
        byte[] full = write0(REPRESENTATIVE);
        assertEquals(REPRESENTATIVE, read0(full));
        for (int length = 0; length < full.length; length++) {
            byte[] prefix = Arrays.copyOf(full, length);
            int at = length;
            AmfException e = assertThrows(AmfException.class, () -> read0(prefix), () -> "prefix " + at);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }

    @Test
    void randomCorruptionRaisesOnlyCodecExceptions() {
        byte[] full = write0(REPRESENTATIVE);
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = full.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                readAll0(bytes);
            } catch (AmfException | RtmpLimitExceededException expected) {
                // the only acceptable failures
            } catch (RuntimeException | Error e) {
                fail("corruption " + i + " raised " + e, e);
            }
        }
    }

    @Test
    void tenThousandNestedObjectsFailByDepthLimit() {
        byte[] bytes = new byte[10_000 * 4];
        for (int i = 0; i < 10_000; i++) {
            // object-marker, property name length 1, name "a"; the value is the next object
            bytes[i * 4] = 0x03;
            bytes[i * 4 + 1] = 0x00;
            bytes[i * 4 + 2] = 0x01;
            bytes[i * 4 + 3] = 'a';
        }
        RtmpLimitExceededException e = assertThrows(RtmpLimitExceededException.class, () -> read0(bytes));
        assertEquals(AmfLimits.MAX_DEPTH, e.limit());
        assertEquals(64, e.allowed());
    }

    @Test
    void tenThousandNestedStrictArraysFailByDepthLimit() {
        byte[] bytes = new byte[10_000 * 5];
        for (int i = 0; i < 10_000; i++) {
            bytes[i * 5] = 0x0A; // strict-array-marker
            bytes[i * 5 + 4] = 0x01; // count 1
        }
        RtmpLimitExceededException e = assertThrows(RtmpLimitExceededException.class, () -> read0(bytes));
        assertEquals(AmfLimits.MAX_DEPTH, e.limit());
    }

    @Test
    void longStringClaiming4GiBFailsBeforeAllocating() {
        byte[] bytes = hex("0C", "FFFFFFFF", "41");
        RtmpLimitExceededException e = assertThrows(RtmpLimitExceededException.class, () -> read0(bytes));
        assertEquals(AmfLimits.MAX_STRING_LENGTH, e.limit());
        assertEquals(0xFFFFFFFFL, e.actual());
    }

    @Test
    void longStringClaimingMoreThanReadableIsTruncation() {
        byte[] bytes = hex("0C", "00001000", "41");
        AmfException e = assertThrows(AmfException.class, () -> read0(bytes));
        assertTrue(e.getMessage().contains("long string"), e.getMessage());
    }

    @Test
    void strictArrayClaimingMoreItemsThanBytesFailsBeforeAllocating() {
        byte[] bytes = hex("0A", "0000FFFF", "05");
        assertThrows(AmfException.class, () -> read0(bytes));
    }

    @Test
    void strictArrayOverElementLimit() {
        byte[] bytes = hex("0A", "7FFFFFFF");
        RtmpLimitExceededException e = assertThrows(RtmpLimitExceededException.class, () -> read0(bytes));
        assertEquals(AmfLimits.MAX_ELEMENTS, e.limit());
    }

    @Test
    void objectOverElementLimit() {
        AmfLimits tight = new AmfLimits(8, 100, 1, 100);
        byte[] bytes = write0(AmfObject.of("a", 1.0, "b", 2.0));
        RtmpLimitExceededException e = assertThrows(
                RtmpLimitExceededException.class, () -> AmfBytes.withBuffer(bytes, b -> Amf0Reader.read(b, tight)));
        assertEquals(AmfLimits.MAX_ELEMENTS, e.limit());
    }

    @Test
    void stringOverConfiguredLimit() {
        AmfLimits tight = new AmfLimits(8, 3, 100, 100);
        byte[] bytes = write0("four");
        RtmpLimitExceededException e = assertThrows(
                RtmpLimitExceededException.class, () -> AmfBytes.withBuffer(bytes, b -> Amf0Reader.read(b, tight)));
        assertEquals(AmfLimits.MAX_STRING_LENGTH, e.limit());
    }

    @Test
    void unknownMarker() {
        AmfException e = assertThrows(AmfException.class, () -> read0(hex("12")));
        assertTrue(e.getMessage().contains("0x12"), e.getMessage());
    }

    @Test
    void recordsetMarkerIsRejected() {
        AmfException e = assertThrows(AmfException.class, () -> read0(hex("0E")));
        assertTrue(e.getMessage().contains("recordset"), e.getMessage());
    }

    @Test
    void movieclipMarkerIsRejected() {
        assertThrows(AmfException.class, () -> read0(hex("04")));
    }

    @Test
    void objectEndOutsideObject() {
        assertThrows(AmfException.class, () -> read0(hex("09")));
    }

    @Test
    void referenceToUnknownIndex() {
        AmfException e = assertThrows(AmfException.class, () -> read0(hex("07", "0003")));
        assertTrue(e.getMessage().contains("index 3"), e.getMessage());
    }

    @Test
    void cyclicReferenceIsRejected() {
        byte[] bytes = hex(
                "0A", "00000001", // strict array #0 of one item
                "07", "0000"); // reference to #0, which is still being read
        AmfException e = assertThrows(AmfException.class, () -> read0(bytes));
        assertTrue(e.getMessage().contains("still being read"), e.getMessage());
    }

    @Test
    void errorOffsetIsRelativeToTheReaderIndexAtTheCall() {
        byte[] bytes = hex("FFFF", "00", "3FF0000000000000", "12");
        AmfException e = assertThrows(
                AmfException.class,
                () -> AmfBytes.withBuffer(bytes, b -> {
                    b.skipBytes(2);
                    return Amf0Reader.readAll(b, AmfLimits.DEFAULT);
                }));
        assertTrue(e.getMessage().contains("at offset 9"), e.getMessage());
    }

    @Test
    void readsOnlyTheReadableRegion() {
        byte[] bytes = hex("05", "05", "12");
        List<Object> values = AmfBytes.withBuffer(bytes, b -> Amf0Reader.readAll(b.slice(0, 2), AmfLimits.DEFAULT));
        assertEquals(Arrays.asList(null, null), values);
    }

    @Test
    void allFailuresAreCodecExceptions() {
        assertTrue(RtmpCodecException.class.isAssignableFrom(AmfException.class));
    }

    @Test
    void avmPlusValueInheritsTheDepth() {
        AmfLimits tight = new AmfLimits(2, 100, 100, 100);
        byte[] bytes = hex(
                "0A",
                "00000001", // AMF0 strict array (depth 1)
                "11", // avmplus-object-marker
                "09",
                "03",
                "01", // AMF3 array, 1 dense item, empty key (depth 2)
                "09",
                "01",
                "01"); // AMF3 empty array (depth 3)
        RtmpLimitExceededException e = assertThrows(
                RtmpLimitExceededException.class, () -> AmfBytes.withBuffer(bytes, b -> Amf0Reader.read(b, tight)));
        assertEquals(AmfLimits.MAX_DEPTH, e.limit());
    }

    @Test
    void writerRejectsUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> write0(new Object()));
    }

    @Test
    void writerRejectsNonStringKeys() {
        assertThrows(IllegalArgumentException.class, () -> write0(java.util.Map.of(1, "x")));
    }

    @Test
    void typedGetterRejectsWrongType() {
        AmfObject o = AmfObject.of("app", 5.0);
        AmfException e = assertThrows(AmfException.class, () -> o.string("app"));
        assertTrue(e.getMessage().contains("'app'"), e.getMessage());
    }
}
