package io.github.rtmpedge.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy_protocol} applies to new connections on reload, both ways, without a restart. */
class ProxyProtocolReloadTest {

    private static final String BASE = "listen = [\"127.0.0.1:0\"]\nhttp_api { enabled = off }\n";
    private static final String ON = "proxy_protocol { enabled = on, trusted = [\"127.0.0.2/32\"] }\n";
    private static final String HEADER = "PROXY TCP4 192.0.2.66 127.0.0.1 4444 1935\r\n";

    @TempDir
    Path dir;

    private EdgeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private double untrusted() {
        Counter c = server.metrics()
                .registry()
                .find("rtmp.proxy.protocol.rejected")
                .tags("reason", "untrusted", "protocol", "rtmp")
                .counter();
        return c == null ? 0 : c.count();
    }

    /** A direct client (127.0.0.1) sends a PROXY header and then an RTMP C0: what does it read back first? */
    private int firstByteAfterHeader() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            "127.0.0.1", server.rtmpAddresses().get(0).getPort()),
                    2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HEADER.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                return in.read();
            } catch (SocketException reset) {
                return -1;
            }
        }
    }

    @Test
    void turningItOnAndOffAppliesToNewConnections() throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, BASE);
        server = new EdgeServer(
                        EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties()),
                        Optional.of(file),
                        () -> {})
                .start();
        // Off: the header is just bytes, a bad RTMP version; counted as no PROXY refusal.
        firstByteAfterHeader();
        assertEquals(0, untrusted());

        Files.writeString(file, BASE + ON);
        assertTrue(server.reload());
        assertEquals(-1, firstByteAfterHeader(), "refused without a byte");
        assertEquals(1, untrusted());

        Files.writeString(file, BASE);
        assertTrue(server.reload());
        firstByteAfterHeader();
        assertEquals(1, untrusted(), "off again: not looked at");
    }
}
