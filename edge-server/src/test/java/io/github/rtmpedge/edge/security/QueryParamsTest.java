package io.github.rtmpedge.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void secretValuesAreMaskedEverywhereInAText() {
        assertEquals("expires=17&token=***", QueryParams.redact("expires=17&token=abc-DEF_1"));
        assertEquals("cam1?a=1&sign=***&b=2", QueryParams.redact("cam1?a=1&sign=s1g&b=2"));
        assertEquals("rtmp://***@host/live?key=***&x=y", QueryParams.redact("rtmp://user:pw@host/live?key=k3y&x=y"));
        assertEquals(
                "tcUrl rtmp://h/live?auth_token=***, next",
                QueryParams.redact("tcUrl rtmp://h/live?auth_token=zz, next"));
        assertEquals("?Password=***&SECRET=***&apiKey=***", QueryParams.redact("?Password=p&SECRET=s&apiKey=a"));
    }

    @Test
    void otherParametersAndPlainTextAreLeftAlone() {
        assertEquals("live/cam1?vhost=a.b&expires=17", QueryParams.redact("live/cam1?vhost=a.b&expires=17"));
        assertEquals("no query here", QueryParams.redact("no query here"));
    }

    @Test
    void firstValueIsDecoded() {
        assertEquals("a b", QueryParams.first("x=1&token=a%20b&token=2", "token"));
        assertNull(QueryParams.first("x=1", "token"));
        assertEquals("", QueryParams.first("token", "token"));
    }
}
