package io.github.rtmpedge.rtmp.amf;

import static io.github.rtmpedge.rtmp.amf.AmfBytes.hex;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.read0;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.readAll0;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.utf8;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.write0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One golden vector per AMF0 marker (AMF0 spec section 2), decoded and encoded. */
class Amf0GoldenTest {

    private static final byte[] NUMBER = hex(
            "00", // number-marker
            "3FF8000000000000"); // 1.5 as IEEE-754 big-endian double
    private static final byte[] BOOLEAN_TRUE = hex(
            "01", // boolean-marker
            "01"); // true
    private static final byte[] STRING = hex(
            "02", // string-marker
            "0004", // UTF-8 length 4
            utf8("live"));
    private static final byte[] OBJECT = hex(
            "03", // object-marker
            "0003",
            utf8("app"), // property name "app"
            "02",
            "0004",
            utf8("live"), // string value "live"
            "000E",
            utf8("objectEncoding"),
            "00",
            "0000000000000000", // number 0.0
            "0000",
            "09"); // empty name + object-end-marker
    private static final byte[] NULL = hex("05");
    private static final byte[] UNDEFINED = hex("06");
    private static final byte[] ECMA_ARRAY = hex(
            "08", // ecma-array-marker
            "00000001", // associative-count 1
            "0008",
            utf8("duration"),
            "00",
            "4024000000000000", // number 10.0
            "0000",
            "09");
    private static final byte[] STRICT_ARRAY = hex(
            "0A", // strict-array-marker
            "00000002", // array-count 2
            "00",
            "3FF0000000000000", // number 1.0
            "05"); // null
    private static final byte[] DATE = hex(
            "0B", // date-marker
            "4276F5E66E800000", // 1577836800000.0 ms = 2020-01-01T00:00:00Z
            "0000"); // time-zone 0
    private static final byte[] UNSUPPORTED = hex("0D");
    private static final byte[] XML_DOCUMENT = hex(
            "0F", // xml-document-marker
            "00000004", // U32 length
            utf8("<a/>"));
    private static final byte[] TYPED_OBJECT = hex(
            "10", // typed-object-marker
            "0003",
            utf8("Foo"), // class-name
            "0001",
            utf8("x"),
            "01",
            "00", // boolean false
            "0000",
            "09");

    @Test
    void number() {
        assertEquals(1.5, read0(NUMBER));
        assertArrayEquals(NUMBER, write0(1.5));
    }

    @Test
    void integerAndLongAreWrittenAsNumbers() {
        assertArrayEquals(hex("00", "4000000000000000"), write0(2));
        assertArrayEquals(hex("00", "4000000000000000"), write0(2L));
    }

    @Test
    void booleanTrue() {
        assertEquals(true, read0(BOOLEAN_TRUE));
        assertArrayEquals(BOOLEAN_TRUE, write0(true));
    }

    @Test
    void nonZeroBooleanByteIsTrue() {
        assertEquals(true, read0(hex("01", "7F")));
    }

    @Test
    void string() {
        assertEquals("live", read0(STRING));
        assertArrayEquals(STRING, write0("live"));
    }

    @Test
    void objectKeepsOrderAndTypes() {
        AmfObject o = (AmfObject) read0(OBJECT);
        assertEquals(List.of("app", "objectEncoding"), List.copyOf(o.keySet()));
        assertEquals("live", o.string("app"));
        assertEquals(0.0, o.number("objectEncoding"));
        assertArrayEquals(OBJECT, write0(AmfObject.of("app", "live", "objectEncoding", 0.0)));
    }

    @Test
    void nullValue() {
        assertNull(read0(NULL));
        assertArrayEquals(NULL, write0((Object) null));
    }

    @Test
    void undefined() {
        assertSame(Amf.UNDEFINED, read0(UNDEFINED));
        assertArrayEquals(UNDEFINED, write0(Amf.UNDEFINED));
    }

    @Test
    void referenceResolvesToEarlierObject() {
        byte[] bytes = hex(
                "03",
                "0001",
                utf8("a"),
                "00",
                "3FF0000000000000",
                "0000",
                "09", // object #0 {a: 1.0}
                "07",
                "0000"); // reference-marker, index 0
        List<Object> values = readAll0(bytes);
        assertSame(values.get(0), values.get(1));
    }

    @Test
    void ecmaArray() {
        AmfEcmaArray a = (AmfEcmaArray) read0(ECMA_ARRAY);
        assertEquals(10.0, a.number("duration"));
        assertArrayEquals(ECMA_ARRAY, write0(AmfEcmaArray.of("duration", 10.0)));
    }

    @Test
    void ecmaArrayCountIsOnlyAHint() {
        byte[] zeroCount = ECMA_ARRAY.clone();
        zeroCount[4] = 0; // associative-count 0, as some encoders write
        assertEquals(AmfEcmaArray.of("duration", 10.0), read0(zeroCount));
    }

    @Test
    void strictArrayAllowsNull() {
        assertEquals(Arrays.asList(1.0, null), read0(STRICT_ARRAY));
        assertArrayEquals(STRICT_ARRAY, write0(Arrays.asList(1.0, null)));
    }

    @Test
    void date() {
        assertEquals(new AmfDate(1577836800000.0, (short) 0), read0(DATE));
        assertArrayEquals(DATE, write0(AmfDate.ofMillis(1577836800000.0)));
    }

    @Test
    void longStringDecodes() {
        assertEquals("abc", read0(hex("0C", "00000003", utf8("abc"))));
    }

    @Test
    void stringOver65535BytesIsWrittenAsLongString() {
        String big = "x".repeat(65_536);
        byte[] bytes = write0(big);
        assertArrayEquals(hex("0C", "00010000"), Arrays.copyOf(bytes, 5));
        assertEquals(big, read0(bytes));
    }

    @Test
    void stringOfExactly65535BytesStaysShort() {
        byte[] bytes = write0("x".repeat(65_535));
        assertArrayEquals(hex("02", "FFFF"), Arrays.copyOf(bytes, 3));
    }

    @Test
    void unsupported() {
        assertSame(Amf.UNSUPPORTED, read0(UNSUPPORTED));
        assertArrayEquals(UNSUPPORTED, write0(Amf.UNSUPPORTED));
    }

    @Test
    void xmlDocument() {
        assertEquals(new AmfXmlDocument("<a/>"), read0(XML_DOCUMENT));
        assertArrayEquals(XML_DOCUMENT, write0(new AmfXmlDocument("<a/>")));
    }

    @Test
    void typedObject() {
        assertEquals(new AmfTypedObject("Foo", AmfObject.of("x", false)), read0(TYPED_OBJECT));
        assertArrayEquals(TYPED_OBJECT, write0(new AmfTypedObject("Foo", AmfObject.of("x", false))));
    }

    @Test
    void avmPlusSwitchReadsOneAmf3Value() {
        byte[] bytes = hex(
                "11", // avmplus-object-marker
                "06",
                "09",
                utf8("abcd")); // AMF3 string-marker, U29S length 4 inline
        assertEquals("abcd", read0(bytes));
    }

    @Test
    void utf8StringsAreMeasuredInBytes() {
        byte[] bytes = write0("é");
        assertArrayEquals(hex("02", "0002", "C3A9"), bytes);
        assertEquals("é", read0(bytes));
    }

    @Test
    void plainMapIsWrittenAsObject() {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("app", "live");
        m.put("objectEncoding", 0);
        assertArrayEquals(OBJECT, write0(m));
    }
}
