package io.github.rtmpedge.rtmp.amf;

import static io.github.rtmpedge.rtmp.amf.AmfBytes.hex;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.read3;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AMF3 kinds (AMF3 spec section 3) and their malformed forms. */
class Amf3ReaderTest {

    @Test
    void scalars() {
        assertSame(Amf.UNDEFINED, read3(hex("00")));
        assertNull(read3(hex("01")));
        assertEquals(false, read3(hex("02")));
        assertEquals(true, read3(hex("03")));
    }

    @Test
    void integerOneByte() {
        assertEquals(5.0, read3(hex("04", "05")));
    }

    @Test
    void integerTwoBytes() {
        assertEquals(128.0, read3(hex("04", "81 00"))); // 0b1_0000001 0b0_0000000
    }

    @Test
    void integerFourBytesMaximum() {
        assertEquals(268_435_455.0, read3(hex("04", "BF FF FF FF"))); // 2^28 - 1
    }

    @Test
    void integerIsSignExtendedFrom29Bits() {
        assertEquals(-1.0, read3(hex("04", "FF FF FF FF")));
        assertEquals(-268_435_456.0, read3(hex("04", "C0 80 80 00")));
    }

    @Test
    void doubleValue() {
        assertEquals(1.5, read3(hex("05", "3FF8000000000000")));
    }

    @Test
    void stringAndStringReference() {
        byte[] bytes = hex(
                "09",
                "05",
                "01", // array, 2 dense items, no associative part
                "06",
                "07",
                utf8("abc"), // string, inline length 3 (0b111)
                "06",
                "00"); // string, reference #0
        assertEquals(List.of("abc", "abc"), read3(bytes));
    }

    @Test
    void emptyStringIsNotAReference() {
        byte[] bytes = hex("09", "05", "01", "06", "01", "06", "01");
        assertEquals(List.of("", ""), read3(bytes));
    }

    @Test
    void xmlDocumentAndXml() {
        assertEquals(new AmfXmlDocument("<a/>"), read3(hex("07", "09", utf8("<a/>"))));
        assertEquals(new AmfXmlDocument("<a/>"), read3(hex("0B", "09", utf8("<a/>"))));
    }

    @Test
    void date() {
        assertEquals(AmfDate.ofMillis(1.5), read3(hex("08", "01", "3FF8000000000000")));
    }

    @Test
    void denseArrayIsAList() {
        assertEquals(Arrays.asList(1.0, null), read3(hex("09", "05", "01", "04", "01", "01")));
    }

    @Test
    void mixedArrayIsAnEcmaArray() {
        byte[] bytes = hex(
                "09", "03", // array, 1 dense item
                "03", utf8("a"), "03", // key "a" = true
                "01", // empty key ends the associative part
                "04", "07"); // dense item 0 = 7
        assertEquals(AmfEcmaArray.of("a", true, "0", 7.0), read3(bytes));
    }

    @Test
    void anonymousDynamicObject() {
        byte[] bytes = hex(
                "0A",
                "0B", // object, traits inline, dynamic, 0 sealed (0b1011)
                "01", // class name "" (anonymous)
                "07",
                utf8("app"),
                "06",
                "09",
                utf8("live"),
                "01"); // end of dynamic members
        assertEquals(AmfObject.of("app", "live"), read3(bytes));
    }

    @Test
    void typedSealedObjectAndTraitsReference() {
        byte[] bytes = hex(
                "09",
                "05",
                "01", // array of 2
                "0A",
                "13",
                "07",
                utf8("Foo"), // object, traits inline, sealed 1 (0b1_0011), class "Foo"
                "03",
                utf8("x"),
                "04",
                "01", // sealed name "x"; value 1
                "0A",
                "01",
                "04",
                "02"); // object, traits reference #0 (0b01), x = 2
        Object value = read3(bytes);
        assertEquals(
                List.of(
                        new AmfTypedObject("Foo", AmfObject.of("x", 1.0)),
                        new AmfTypedObject("Foo", AmfObject.of("x", 2.0))),
                value);
    }

    @Test
    void objectReference() {
        byte[] bytes = hex(
                "09", "05", "01", // array #0 of 2
                "0A", "0B", "01", "01", // object #1, empty
                "0A", "02"); // object reference #1
        List<?> list = (List<?>) read3(bytes);
        assertSame(list.get(0), list.get(1));
    }

    @Test
    void externalizableIsRejected() {
        AmfException e = assertThrows(AmfException.class, () -> read3(hex("0A", "07", "07", utf8("Ext"))));
        assertTrue(e.getMessage().contains("externalizable"), e.getMessage());
    }

    @Test
    void byteArray() {
        assertEquals(new AmfByteArray(new byte[] {1, 2}), read3(hex("0C", "05", "0102")));
    }

    @Test
    void vectors() {
        assertEquals(
                new AmfVector(AmfVector.Kind.INT, false, null, List.of(-1)), read3(hex("0D", "03", "00", "FFFFFFFF")));
        assertEquals(
                new AmfVector(AmfVector.Kind.UINT, true, null, List.of(0xFFFFFFFFL)),
                read3(hex("0E", "03", "01", "FFFFFFFF")));
        assertEquals(
                new AmfVector(AmfVector.Kind.DOUBLE, false, null, List.of(1.5)),
                read3(hex("0F", "03", "00", "3FF8000000000000")));
        assertEquals(
                new AmfVector(AmfVector.Kind.OBJECT, false, "*", List.of("a")),
                read3(hex("10", "03", "00", "03", utf8("*"), "06", "03", utf8("a"))));
    }

    @Test
    void dictionary() {
        AmfDictionary d = (AmfDictionary) read3(hex("11", "03", "01", "04", "01", "06", "03", utf8("v")));
        assertTrue(d.weakKeys());
        assertEquals(List.of(new AmfDictionary.Entry(1.0, "v")), d.entries());
    }

    @Test
    void badStringReference() {
        AmfException e = assertThrows(AmfException.class, () -> read3(hex("06", "04")));
        assertTrue(e.getMessage().contains("references string 2"), e.getMessage());
    }

    @Test
    void badObjectReference() {
        assertThrows(AmfException.class, () -> read3(hex("0A", "00")));
    }

    @Test
    void badTraitsReference() {
        assertThrows(AmfException.class, () -> read3(hex("0A", "05")));
    }

    @Test
    void cyclicReferenceIsRejected() {
        assertThrows(AmfException.class, () -> read3(hex("09", "03", "01", "09", "00")));
    }

    @Test
    void unknownMarker() {
        AmfException e = assertThrows(AmfException.class, () -> read3(hex("12")));
        assertTrue(e.getMessage().contains("0x12"), e.getMessage());
    }

    @Test
    void hugeStringClaimFailsByLimit() {
        RtmpLimitExceededException e =
                assertThrows(RtmpLimitExceededException.class, () -> read3(hex("06", "FF FF FF FF")));
        assertEquals(AmfLimits.MAX_STRING_LENGTH, e.limit());
    }

    @Test
    void hugeArrayClaimFailsBeforeAllocating() {
        assertThrows(AmfException.class, () -> read3(hex("09", "83 01", "01")));
    }

    @Test
    void deepNestingFailsByDepthLimit() {
        byte[] bytes = new byte[10_000 * 3];
        for (int i = 0; i < 10_000; i++) {
            bytes[i * 3] = 0x09; // array
            bytes[i * 3 + 1] = 0x03; // 1 dense item
            bytes[i * 3 + 2] = 0x01; // no associative part
        }
        RtmpLimitExceededException e = assertThrows(RtmpLimitExceededException.class, () -> read3(bytes));
        assertEquals(AmfLimits.MAX_DEPTH, e.limit());
    }

    @Test
    void stringTableBoundedByReferenceLimit() {
        AmfLimits tight = new AmfLimits(8, 100, 100, 1);
        byte[] bytes = hex("09", "05", "01", "06", "03", utf8("a"), "06", "03", utf8("b"));
        RtmpLimitExceededException e = assertThrows(
                RtmpLimitExceededException.class, () -> AmfBytes.withBuffer(bytes, b -> Amf3Reader.read(b, tight)));
        assertEquals(AmfLimits.MAX_REFERENCES, e.limit());
    }

    @Test
    void truncatedAtEveryOffsetFailsCleanly() {
        byte[] full = hex("0A", "13", "07", utf8("Foo"), "03", utf8("x"), "0F", "03", "00", "3FF8000000000000");
        assertEquals(
                new AmfTypedObject(
                        "Foo", AmfObject.of("x", new AmfVector(AmfVector.Kind.DOUBLE, false, null, List.of(1.5)))),
                read3(full));
        for (int length = 0; length < full.length; length++) {
            byte[] prefix = Arrays.copyOf(full, length);
            assertThrows(AmfException.class, () -> read3(prefix), "prefix " + length);
        }
    }

    @Test
    void readAllSharesReferenceTables() {
        List<Object> values = AmfBytes.withBuffer(
                hex("06", "03", utf8("a"), "06", "00"), b -> Amf3Reader.readAll(b, AmfLimits.DEFAULT));
        assertEquals(List.of("a", "a"), values);
    }

    @Test
    void byteArrayIsCopied() {
        byte[] raw = {1};
        AmfByteArray a = new AmfByteArray(raw);
        raw[0] = 9;
        assertArrayEquals(new byte[] {1}, a.bytes());
    }
}
