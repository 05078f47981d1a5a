package io.github.rtmpedge.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class StreamNameTest {

    @Test
    void splitsQuery() {
        StreamName n = StreamName.parse("cam1?token=abc&x=1");
        assertEquals("cam1", n.name());
        assertEquals("token=abc&x=1", n.query());
        assertEquals("cam1?token=abc&x=1", n.toString());
    }

    @Test
    void noQuery() {
        StreamName n = StreamName.parse("cam1");
        assertFalse(n.hasQuery());
        assertEquals("cam1", n.toString());
    }

    @Test
    void tcUrlWithPortInstanceAndQuery() {
        assertEquals(new TcUrl("rtmp", "host", 1936, "app", "inst", "x"), TcUrl.parse("rtmp://host:1936/app/inst?x"));
    }

    @Test
    void tcUrlDefaultPort() {
        assertEquals(new TcUrl("rtmp", "host", 1935, "live", "", ""), TcUrl.parse("rtmp://host/live"));
    }

    @Test
    void tcUrlAppWithQuery() {
        TcUrl u = TcUrl.parse("rtmp://host/live?vhost=x");
        assertEquals("live", u.app());
        assertEquals("vhost=x", u.query());
    }

    @Test
    void tcUrlRtmpsDefaultPort() {
        assertEquals(443, TcUrl.parse("rtmps://host/live").port());
    }

    @Test
    void tcUrlIpv6Host() {
        TcUrl u = TcUrl.parse("rtmp://[::1]:1935/live");
        assertEquals("[::1]", u.host());
        assertEquals(1935, u.port());
    }

    @Test
    void tcUrlWithoutPath() {
        assertEquals("", TcUrl.parse("rtmp://host").app());
    }
}
