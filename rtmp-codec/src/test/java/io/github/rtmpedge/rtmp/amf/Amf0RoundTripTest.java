package io.github.rtmpedge.rtmp.amf;

import static io.github.rtmpedge.rtmp.amf.AmfBytes.hex;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.readAll0;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.utf8;
import static io.github.rtmpedge.rtmp.amf.AmfBytes.write0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Amf0RoundTripTest {

    /**
     * ffmpeg's connect when publishing (libavformat/rtmpproto.c gen_connect), built by hand:
     * "connect", txid 1, {app, type: "nonprivate", flashVer, tcUrl}.
     */
    static final byte[] FFMPEG_CONNECT = hex(
            "02",
            "0007",
            utf8("connect"), // command name
            "00",
            "3FF0000000000000", // transaction id 1.0
            "03", // command object
            "0003",
            utf8("app"),
            "02",
            "0004",
            utf8("live"),
            "0004",
            utf8("type"),
            "02",
            "000A",
            utf8("nonprivate"),
            "0008",
            utf8("flashVer"),
            "02",
            "0023",
            utf8("FMLE/3.0 (compatible; Lavf61.7.100)"),
            "0005",
            utf8("tcUrl"),
            "02",
            "001A",
            utf8("rtmp://127.0.0.1:1935/live"),
            "0000",
            "09"); // object end

    @Test
    void ffmpegConnectDecodes() {
        List<Object> values = readAll0(FFMPEG_CONNECT);
        assertEquals(3, values.size());
        assertEquals("connect", values.get(0));
        assertEquals(1.0, values.get(1));
        AmfObject o = (AmfObject) values.get(2);
        assertEquals(List.of("app", "type", "flashVer", "tcUrl"), List.copyOf(o.keySet()));
        assertEquals("live", o.string("app"));
        assertEquals("nonprivate", o.string("type"));
        assertEquals("FMLE/3.0 (compatible; Lavf61.7.100)", o.string("flashVer"));
        assertEquals("rtmp://127.0.0.1:1935/live", o.string("tcUrl"));
    }

    @Test
    void ffmpegConnectReencodesToTheSameBytes() {
        assertArrayEquals(FFMPEG_CONNECT, write0(readAll0(FFMPEG_CONNECT).toArray()));
    }

    @Test
    void nestedValuesRoundTrip() {
        List<Object> values = Arrays.asList(
                "onMetaData",
                AmfEcmaArray.of(
                        "duration",
                        0.0,
                        "encoder",
                        "Lavf",
                        "stereo",
                        true,
                        "nested",
                        AmfObject.of("list", Arrays.asList(AmfObject.EMPTY, null, Amf.UNDEFINED))),
                null,
                -0.0,
                Double.NaN,
                new AmfTypedObject("flex.Thing", AmfObject.of("d", new AmfDate(1.0, (short) -60))));
        assertEquals(values, readAll0(write0(values.toArray())));
    }

    @Test
    void emptyBodyReadsNoValues() {
        assertEquals(List.of(), readAll0(new byte[0]));
    }
}
