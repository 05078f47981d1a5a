package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy_protocol}: read, validated, and who is trusted. */
class ProxyProtocolConfigTest {

    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        assertEquals(ProxyProtocolConfig.defaults(), ConfigFiles.load(dir, "").proxyProtocol());
    }

    @Test
    void trustedBlocksAreReadAndMatched() throws Exception {
        ProxyProtocolConfig proxy = ConfigFiles.load(
                        dir, "proxy_protocol { enabled = on, trusted = [\"10.0.0.0/8\", \"127.0.0.2\", \"fd00::/8\"] }")
                .proxyProtocol();
        assertTrue(proxy.enabled());
        assertEquals(
                List.of(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("127.0.0.2/32"), CidrBlock.parse("fd00::/8")),
                proxy.trusted());
        assertTrue(proxy.trusts(InetAddress.getByName("10.1.2.3")));
        assertTrue(proxy.trusts(InetAddress.getByName("127.0.0.2")));
        assertTrue(
                proxy.trusts(InetAddress.getByName("::ffff:10.9.9.9")), "an IPv4-mapped peer of a dual-stack listener");
        assertTrue(proxy.trusts(InetAddress.getByName("fd12::1")));
        assertFalse(proxy.trusts(InetAddress.getByName("127.0.0.1")));
        assertFalse(proxy.trusts(InetAddress.getByName("11.0.0.1")));
    }

    @Test
    void aBadBlockFailsStartUpNamingKeyValueAndExpectation() {
        List<String> problems = ConfigFiles.problems(
                dir, "proxy_protocol { enabled = on, trusted = [\"10.0.0.0/8\", \"10.0.0.0/33\"] }");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).startsWith("proxy_protocol.trusted[1] = \"10.0.0.0/33\": expected "), problems.get(0));
        assertTrue(problems.get(0).contains("CIDR block"), problems.get(0));
    }

    @Test
    void aHostNameIsNotABlock() {
        List<String> problems = ConfigFiles.problems(dir, "proxy_protocol.trusted = [\"lb.example.com\"]");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("proxy_protocol.trusted[0] = \"lb.example.com\""), problems.get(0));
    }

    @Test
    void enabledWithNobodyTrustedIsAProblem() {
        assertEquals(
                List.of("proxy_protocol.trusted = []: expected at least one address or CIDR block of the load"
                        + " balancers when proxy_protocol.enabled = on"),
                ConfigFiles.problems(dir, "proxy_protocol.enabled = on"));
    }

    @Test
    void aTypoInTheSectionIsAnError() {
        List<String> problems = ConfigFiles.problems(dir, "proxy_protocol { enabled = on, trustd = [\"10.0.0.0/8\"] }");
        assertTrue(problems.stream().anyMatch(p -> p.contains("proxy_protocol.trustd")), problems.toString());
    }
}
