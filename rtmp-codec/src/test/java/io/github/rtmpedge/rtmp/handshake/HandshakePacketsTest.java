package io.github.rtmpedge.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.handshake.HandshakePackets.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Golden vectors for the handshake packets. The expected digests are computed here with
 * javax.crypto directly from the published facts (key texts, fixed key suffix, offsets), not with
 * the code under test.
 */
class HandshakePacketsTest {

    private static final byte[] FP_KEY_TEXT = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FMS_KEY_TEXT =
            "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_SUFFIX =
            HexFormat.of().parseHex("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");

    @Test
    void keysAreTheAdobeTextsFollowedByTheFixedSuffix() {
        assertEquals(30, FP_KEY_TEXT.length);
        assertEquals(36, FMS_KEY_TEXT.length);
        assertArrayEquals(FP_KEY_TEXT, Signer.CLIENT.partialKey());
        assertArrayEquals(FMS_KEY_TEXT, Signer.SERVER.partialKey());
        assertArrayEquals(concat(FP_KEY_TEXT, KEY_SUFFIX), Signer.CLIENT.fullKey());
        assertArrayEquals(concat(FMS_KEY_TEXT, KEY_SUFFIX), Signer.SERVER.fullKey());
    }

    @Test
    void digestPositionIsSumOfFourOffsetBytesModulo728PlusBase() {
        byte[] packet = new byte[1536];
        // scheme 0: bytes 8-11 = FF FF FF FF, sum 1020, 1020 % 728 = 292, + 12
        packet[8] = packet[9] = packet[10] = packet[11] = (byte) 0xFF;
        // scheme 1: bytes 772-775 = 01 02 03 04, sum 10, + 776
        packet[772] = 1;
        packet[773] = 2;
        packet[774] = 3;
        packet[775] = 4;
        assertEquals(304, DigestScheme.SCHEME_0.digestPosition(packet));
        assertEquals(786, DigestScheme.SCHEME_1.digestPosition(packet));
    }

    @Test
    void simplePacketIsTimeZeroAndRandom() {
        byte[] packet = HandshakePackets.createSimple(0x01020304, new Random(11));
        byte[] random = randomBytes(11);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOfRange(packet, 0, 4), "time");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(packet, 4, 8), "zero");
        assertArrayEquals(Arrays.copyOfRange(random, 8, 1536), Arrays.copyOfRange(packet, 8, 1536), "random");
    }

    @Test
    void echoCarriesPeerTimeOurTime2AndPeerRandom() {
        byte[] peer = HandshakePackets.createSimple(0x0A0B0C0D, new Random(12));
        byte[] echo = HandshakePackets.createEcho(peer, 0x00000100);
        assertArrayEquals(new byte[] {0x0A, 0x0B, 0x0C, 0x0D}, Arrays.copyOfRange(echo, 0, 4), "time");
        assertArrayEquals(new byte[] {0, 0, 1, 0}, Arrays.copyOfRange(echo, 4, 8), "time2");
        assertArrayEquals(Arrays.copyOfRange(peer, 8, 1536), Arrays.copyOfRange(echo, 8, 1536), "random echo");
        assertTrue(HandshakePackets.isEcho(echo, peer));
    }

    @Test
    void echoWithOneRandomByteChangedIsNoEcho() {
        byte[] peer = HandshakePackets.createSimple(0, new Random(13));
        byte[] echo = HandshakePackets.createEcho(peer, 0);
        echo[1535] ^= 1;
        assertFalse(HandshakePackets.isEcho(echo, peer));
    }

    @Test
    void clientDigestPacketScheme0MatchesGoldenHmac() {
        byte[] packet = HandshakePackets.createWithDigest(
                Signer.CLIENT, 0x00000010, 0x80000702, DigestScheme.SCHEME_0, new Random(42));

        byte[] expected = randomBytes(42);
        System.arraycopy(new byte[] {0, 0, 0, 0x10}, 0, expected, 0, 4); // time
        System.arraycopy(new byte[] {(byte) 0x80, 0, 7, 2}, 0, expected, 4, 4); // version 128.0.7.2
        int sum = (expected[8] & 0xFF) + (expected[9] & 0xFF) + (expected[10] & 0xFF) + (expected[11] & 0xFF);
        int position = 12 + sum % 728;
        byte[] digest = hmac(
                FP_KEY_TEXT,
                Arrays.copyOfRange(expected, 0, position),
                Arrays.copyOfRange(expected, position + 32, 1536));
        System.arraycopy(digest, 0, expected, position, 32);

        assertArrayEquals(expected, packet);
    }

    @Test
    void serverDigestPacketScheme1MatchesGoldenHmac() {
        byte[] packet =
                HandshakePackets.createWithDigest(Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_1, new Random(43));

        byte[] expected = randomBytes(43);
        System.arraycopy(new byte[4], 0, expected, 0, 4); // time
        System.arraycopy(new byte[] {0x0D, 0x0E, 0x0A, 0x0D}, 0, expected, 4, 4); // server version
        int sum = (expected[772] & 0xFF) + (expected[773] & 0xFF) + (expected[774] & 0xFF) + (expected[775] & 0xFF);
        int position = 776 + sum % 728;
        byte[] digest = hmac(
                FMS_KEY_TEXT,
                Arrays.copyOfRange(expected, 0, position),
                Arrays.copyOfRange(expected, position + 32, 1536));
        System.arraycopy(digest, 0, expected, position, 32);

        assertArrayEquals(expected, packet);
    }

    @Test
    void serverAnswerMatchesGoldenHmacOverClientDigest() {
        byte[] clientDigest =
                HexFormat.of().parseHex("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
        byte[] answer = HandshakePackets.createDigestAnswer(Signer.SERVER, clientDigest, new Random(44));

        byte[] random = randomBytes(44);
        byte[] key = hmac(concat(FMS_KEY_TEXT, KEY_SUFFIX), clientDigest, new byte[0]); // 68-byte key
        byte[] signature = hmac(key, Arrays.copyOfRange(random, 0, 1504), new byte[0]);
        assertArrayEquals(Arrays.copyOfRange(random, 0, 1504), Arrays.copyOfRange(answer, 0, 1504), "random");
        assertArrayEquals(signature, Arrays.copyOfRange(answer, 1504, 1536), "signature");
    }

    @Test
    void clientAnswerMatchesGoldenHmacOverServerDigest() {
        byte[] serverDigest = new byte[32];
        Arrays.fill(serverDigest, (byte) 0x5A);
        byte[] answer = HandshakePackets.createDigestAnswer(Signer.CLIENT, serverDigest, new Random(45));

        byte[] random = randomBytes(45);
        byte[] key = hmac(concat(FP_KEY_TEXT, KEY_SUFFIX), serverDigest, new byte[0]); // 62-byte key
        byte[] signature = hmac(key, Arrays.copyOfRange(random, 0, 1504), new byte[0]);
        assertArrayEquals(signature, Arrays.copyOfRange(answer, 1504, 1536));
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void findDigestReportsTheSchemeUsed(DigestScheme scheme) {
        byte[] packet = HandshakePackets.createWithDigest(Signer.CLIENT, 0, 0x80000702, scheme, new Random(46));
        assertEquals(Optional.of(scheme), HandshakePackets.findDigest(packet, Signer.CLIENT));
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void digestWithOneFlippedByteIsNotFound(DigestScheme scheme) {
        byte[] packet = HandshakePackets.createWithDigest(Signer.CLIENT, 0, 0x80000702, scheme, new Random(47));
        packet[scheme.digestPosition(packet)] ^= 0x01;
        assertEquals(Optional.empty(), HandshakePackets.findDigest(packet, Signer.CLIENT));
    }

    @Test
    void serverDigestDoesNotVerifyWithClientKey() {
        byte[] packet =
                HandshakePackets.createWithDigest(Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_0, new Random(48));
        assertEquals(Optional.empty(), HandshakePackets.findDigest(packet, Signer.CLIENT));
    }

    @Test
    void simplePacketHasNoDigest() {
        assertEquals(
                Optional.empty(),
                HandshakePackets.findDigest(HandshakePackets.createSimple(0, new Random(49)), Signer.CLIENT));
    }

    @Test
    void answerVerifiesAgainstTheDigestItAnswers() {
        byte[] c1 =
                HandshakePackets.createWithDigest(Signer.CLIENT, 0, 0x80000702, DigestScheme.SCHEME_1, new Random(50));
        byte[] c1Digest = HandshakePackets.digestOf(c1, DigestScheme.SCHEME_1);
        byte[] s2 = HandshakePackets.createDigestAnswer(Signer.SERVER, c1Digest, new Random(51));
        assertTrue(HandshakePackets.isValidDigestAnswer(s2, Signer.SERVER, c1Digest));
    }

    @Test
    void answerWithOneFlippedByteDoesNotVerify() {
        byte[] digest = new byte[32];
        byte[] s2 = HandshakePackets.createDigestAnswer(Signer.SERVER, digest, new Random(52));
        s2[100] ^= 0x01;
        assertFalse(HandshakePackets.isValidDigestAnswer(s2, Signer.SERVER, digest));
    }

    @Test
    void timeAndVersionReadAsUnsigned() {
        byte[] packet = HandshakePackets.createSimple(0xFFFFFFFE, new Random(53));
        packet[4] = (byte) 0x80;
        packet[5] = 0;
        packet[6] = 7;
        packet[7] = 2;
        assertEquals(0xFFFFFFFEL, HandshakePackets.time(packet));
        assertEquals(0x80000702L, HandshakePackets.version(packet));
    }

    static byte[] randomBytes(long seed) {
        byte[] bytes = new byte[1536];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] hmac(byte[] key, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
