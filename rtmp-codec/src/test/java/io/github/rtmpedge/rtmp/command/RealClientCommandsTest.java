package io.github.rtmpedge.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.amf.Amf0Reader;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Commands as real clients send them, written out as golden AMF0 bytes. */
class RealClientCommandsTest {

    private static String s(String text) {
        return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Command parse(String... hexFields) {
        ByteBuf buf = Unpooled.wrappedBuffer(
                ByteBufUtil.decodeHexDump(String.join("", hexFields).replace(" ", "")));
        try {
            return Command.parse(Amf0Reader.readAll(buf, AmfLimits.DEFAULT));
        } finally {
            buf.release();
        }
    }

    @Test
    void ffmpegPlayConnect() {
        // libavformat/rtmpproto.c gen_connect for playback: app, flashVer, tcUrl, fpad,
        // capabilities 15, audioCodecs 4071, videoCodecs 252, videoFunction 1.
        Command c = parse(
                "02 0007",
                s("connect"),
                "00 3FF0000000000000", // txid 1
                "03",
                "0003",
                s("app"),
                "02 0004",
                s("live"),
                "0008",
                s("flashVer"),
                "02 000D",
                s("LNX 9,0,124,2"),
                "0005",
                s("tcUrl"),
                "02 001A",
                s("rtmp://127.0.0.1:1935/live"),
                "0004",
                s("fpad"),
                "01 00",
                "000C",
                s("capabilities"),
                "00 402E000000000000", // 15.0
                "000B",
                s("audioCodecs"),
                "00 40AFCE0000000000", // 4071.0
                "000B",
                s("videoCodecs"),
                "00 406F800000000000", // 252.0
                "000D",
                s("videoFunction"),
                "00 3FF0000000000000", // 1.0
                "0000 09");
        ConnectRequest r = ConnectRequest.parse(c);
        assertEquals("live", r.app());
        assertEquals("rtmp://127.0.0.1:1935/live", r.tcUrl());
        assertEquals("LNX 9,0,124,2", r.flashVer());
        assertNull(r.swfUrl());
        assertEquals(0.0, r.objectEncoding());
        assertEquals(4071.0, r.commandObject().number("audioCodecs"));
    }

    @Test
    void obsConnectWithVhostQueryInApp() {
        // OBS (librtmp fork): app, type nonprivate, flashVer, swfUrl, tcUrl.
        Command c = parse(
                "02 0007",
                s("connect"),
                "00 3FF0000000000000",
                "03",
                "0003",
                s("app"),
                "02 000C",
                s("live?vhost=x"),
                "0004",
                s("type"),
                "02 000A",
                s("nonprivate"),
                "0008",
                s("flashVer"),
                "02 001F",
                s("FMLE/3.0 (compatible; FMSc/1.0)"),
                "0006",
                s("swfUrl"),
                "02 001D",
                s("rtmp://edge:1935/live?vhost=x"),
                "0005",
                s("tcUrl"),
                "02 001D",
                s("rtmp://edge:1935/live?vhost=x"),
                "0000 09");
        ConnectRequest r = ConnectRequest.parse(c);
        assertEquals(new StreamName("live", "vhost=x"), StreamName.parse(r.app()));
        TcUrl url = TcUrl.parse(r.tcUrl());
        assertEquals("edge", url.host());
        assertEquals(1935, url.port());
        assertEquals("live", url.app());
        assertEquals("vhost=x", url.query());
        assertEquals("FMLE/3.0 (compatible; FMSc/1.0)", r.flashVer());
    }

    @Test
    void librtmpLivePlayWithStartMinus1000() {
        // librtmp SendPlay: play, txid, null, name, start -1000 (live) [, duration].
        PlayRequest p = PlayRequest.parse(parse(
                "02 0004",
                s("play"),
                "00 4010000000000000",
                "05",
                "02 0004",
                s("cam1"),
                "00 C08F400000000000")); // -1000.0
        assertEquals(new PlayRequest("cam1", -1000, -1, true), p);
    }

    @Test
    void librtmpPlayWithStartMinus2() {
        PlayRequest p = PlayRequest.parse(parse(
                "02 0004",
                s("play"),
                "00 4010000000000000",
                "05",
                "02 000E",
                s("cam1?token=abc"),
                "00 C000000000000000")); // -2.0
        assertEquals(-2.0, p.start());
        assertEquals(new StreamName("cam1", "token=abc"), p.streamName());
    }

    @Test
    void playWithNameOnly() {
        PlayRequest p = PlayRequest.parse(parse("02 0004", s("play"), "00 0000000000000000", "05", "02 0001", s("a")));
        assertEquals(PlayRequest.of("a"), p);
    }

    @Test
    void ffmpegPublishWithoutCommandObjectArgumentsParses() {
        PublishRequest p = PublishRequest.parse(parse(
                "02 0007", s("publish"), "00 4014000000000000", "05", "02 0004", s("cam1"), "02 0004", s("live")));
        assertEquals(new PublishRequest("cam1", PublishRequest.Type.LIVE), p);
    }

    @Test
    void commandWithoutCommandObject() {
        Command c = parse("02 0008", s("onBWDone"), "00 0000000000000000");
        assertNull(c.commandObject());
        assertTrue(c.arguments().isEmpty());
        assertEquals("onBWDone", c.name());
    }
}
