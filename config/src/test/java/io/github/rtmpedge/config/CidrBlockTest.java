package io.github.rtmpedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrBlockTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv4BlockContainsItsAddressesOnly() {
        CidrBlock block = CidrBlock.parse("10.1.0.0/16");
        assertTrue(block.contains(ip("10.1.255.7")));
        assertTrue(block.contains(ip("10.1.0.0")));
        assertFalse(block.contains(ip("10.2.0.1")));
        assertFalse(block.contains(ip("::1")), "an IPv6 address is never in an IPv4 block");
    }

    @Test
    void prefixNotOnAByteBoundaryMasksTheRightBits() {
        CidrBlock block = CidrBlock.parse("192.168.1.64/27");
        assertTrue(block.contains(ip("192.168.1.95")));
        assertFalse(block.contains(ip("192.168.1.96")));
        assertFalse(block.contains(ip("192.168.1.63")));
        assertEquals("192.168.1.64/27", CidrBlock.parse("192.168.1.77/27").toString(), "host bits cleared");
    }

    @Test
    void singleAddressIsAFullLengthPrefix() {
        assertEquals(32, CidrBlock.parse("127.0.0.1").prefix());
        assertEquals(128, CidrBlock.parse("::1").prefix());
        assertTrue(CidrBlock.parse("127.0.0.1").contains(ip("127.0.0.1")));
        assertFalse(CidrBlock.parse("127.0.0.1").contains(ip("127.0.0.2")));
    }

    @Test
    void ipv6Blocks() {
        CidrBlock block = CidrBlock.parse("2001:db8::/32");
        assertTrue(block.contains(ip("2001:db8:ffff::1")));
        assertFalse(block.contains(ip("2001:db9::1")));
        assertTrue(CidrBlock.parse("::/0").contains(ip("fe80::1")));
        assertTrue(CidrBlock.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
    }

    @Test
    void ipv4MappedIpv6PeerMatchesIpv4Blocks() {
        assertTrue(CidrBlock.parse("10.0.0.0/8").contains(ip("::ffff:10.9.8.7")));
    }

    @Test
    void malformedBlocksAreRefusedWithWhatWasExpected() {
        for (String bad : List.of(
                "",
                "10.0.0.0/33",
                "::1/129",
                "10/8",
                "1.2.3",
                "example.com",
                "10.0.0.0/x",
                "10.0.0.0/-1",
                "300.1.1.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse(bad), bad);
            assertTrue(e.getMessage().contains("CIDR block"), e.getMessage());
        }
    }
}
