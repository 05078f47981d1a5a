package io.github.rtmpedge.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Byte layout and crypto of the RTMP handshake packets, free of channels so it can be tested on
 * plain arrays.
 *
 * <p>Simple handshake (RTMP specification 1.0, section 5.2.3-5.2.5): C1/S1 = time (4 bytes), zero
 * (4 bytes), random (1528 bytes); C2/S2 = the peer's time, the time the peer's packet was read
 * (time2), the peer's random bytes.
 *
 * <p>Digest handshake (Flash Player 9 and later; not in the published specification, the facts
 * follow FFmpeg's rtmpproto.c, librtmp's handshake.h and nginx-rtmp): C1/S1 = time, a non-zero
 * version, and random bytes among which a 32-byte HMAC-SHA256 digest sits at a position given by
 * {@link DigestScheme}. The digest covers the 1504 other bytes, keyed with the first 30 bytes of
 * the Flash Player key (C1) or the first 36 bytes of the Flash Media Server key (S1). The answer
 * C2/S2 is 1504 random bytes followed by HMAC-SHA256(key = HMAC-SHA256(full key, peer's digest),
 * data = the 1504 bytes); the full keys append 32 fixed bytes to the text.
 */
public final class HandshakePackets {

    /** C0/S0: the only plain RTMP version (specification section 5.2.2). */
    public static final int RTMP_VERSION = 3;
    /** Size of C1, S1, C2 and S2 (specification section 5.2.3). */
    public static final int PACKET_SIZE = 1536;
    /** Length of an HMAC-SHA256 digest. */
    public static final int DIGEST_LENGTH = 32;
    /** Bytes of a digest answer (C2/S2) that precede its digest. */
    public static final int ANSWER_SIGNED_LENGTH = PACKET_SIZE - DIGEST_LENGTH;
    /** Version a Flash Player 9 client writes into bytes 4-7 of C1 (librtmp uses the same). */
    public static final int FLASH_PLAYER_VERSION = 0x80000702;
    /** Version written into bytes 4-7 of a digest S1 (nginx-rtmp and SRS write the same). */
    public static final int SERVER_VERSION = 0x0D0E0A0D;

    private static final int TIME_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int RANDOM_OFFSET = 8;

    private static final byte[] KEY_SUFFIX = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };

    /** Which side signs a packet; each has its own key. */
    @SuppressWarnings("ImmutableEnumChecker") // the key arrays are private and never written after construction
    public enum Signer {
        /** Key text "Genuine Adobe Flash Player 001" (30 bytes). */
        CLIENT("Genuine Adobe Flash Player 001"),
        /** Key text "Genuine Adobe Flash Media Server 001" (36 bytes). */
        SERVER("Genuine Adobe Flash Media Server 001");

        private final byte[] partialKey;
        private final byte[] fullKey;

        Signer(String text) {
            this.partialKey = text.getBytes(StandardCharsets.US_ASCII);
            this.fullKey = Arrays.copyOf(partialKey, partialKey.length + KEY_SUFFIX.length);
            System.arraycopy(KEY_SUFFIX, 0, fullKey, partialKey.length, KEY_SUFFIX.length);
        }

        /** The key text alone: signs C1 (client) or S1 (server). */
        public byte[] partialKey() {
            return partialKey.clone();
        }

        /** The key text followed by the 32 fixed bytes: keys the C2 (client) or S2 (server) answer. */
        public byte[] fullKey() {
            return fullKey.clone();
        }
    }

    private HandshakePackets() {}

    /** A simple C1/S1: time, four zero bytes, 1528 random bytes. */
    public static byte[] createSimple(int time, RandomGenerator random) {
        byte[] packet = new byte[PACKET_SIZE];
        random.nextBytes(packet);
        writeInt(packet, TIME_OFFSET, time);
        writeInt(packet, VERSION_OFFSET, 0);
        return packet;
    }

    /** A simple C2/S2 answering {@code peer}: its time, our {@code time2}, its random bytes. */
    public static byte[] createEcho(byte[] peer, int time2) {
        requirePacket(peer);
        byte[] echo = peer.clone();
        writeInt(echo, VERSION_OFFSET, time2);
        return echo;
    }

    /** Whether {@code answer} echoes {@code ours}: same time and random bytes (time2 is the peer's own). */
    public static boolean isEcho(byte[] answer, byte[] ours) {
        requirePacket(answer);
        requirePacket(ours);
        return Arrays.equals(answer, TIME_OFFSET, VERSION_OFFSET, ours, TIME_OFFSET, VERSION_OFFSET)
                && Arrays.equals(answer, RANDOM_OFFSET, PACKET_SIZE, ours, RANDOM_OFFSET, PACKET_SIZE);
    }

    /** A digest C1 (signer CLIENT) or S1 (signer SERVER) with the digest placed per {@code scheme}. */
    public static byte[] createWithDigest(
            Signer signer, int time, int version, DigestScheme scheme, RandomGenerator random) {
        byte[] packet = new byte[PACKET_SIZE];
        random.nextBytes(packet);
        writeInt(packet, TIME_OFFSET, time);
        writeInt(packet, VERSION_OFFSET, version);
        int position = scheme.digestPosition(packet);
        byte[] digest = packetDigest(packet, position, signer.partialKey);
        System.arraycopy(digest, 0, packet, position, DIGEST_LENGTH);
        return packet;
    }

    /**
     * The scheme whose digest in {@code packet} verifies with {@code signer}'s key, trying scheme 0
     * first, or empty when neither does (a simple packet, or a forged or damaged one).
     */
    public static Optional<DigestScheme> findDigest(byte[] packet, Signer signer) {
        requirePacket(packet);
        for (DigestScheme scheme : DigestScheme.values()) {
            int position = scheme.digestPosition(packet);
            byte[] expected = packetDigest(packet, position, signer.partialKey);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, position, position + DIGEST_LENGTH))) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /** The 32 digest bytes of {@code packet} under {@code scheme}. */
    public static byte[] digestOf(byte[] packet, DigestScheme scheme) {
        requirePacket(packet);
        int position = scheme.digestPosition(packet);
        return Arrays.copyOfRange(packet, position, position + DIGEST_LENGTH);
    }

    /**
     * A digest answer: S2 (signer SERVER, {@code peerDigest} = C1's digest) or C2 (signer CLIENT,
     * {@code peerDigest} = S1's digest). 1504 random bytes, then their signature.
     */
    public static byte[] createDigestAnswer(Signer signer, byte[] peerDigest, RandomGenerator random) {
        byte[] answer = new byte[PACKET_SIZE];
        random.nextBytes(answer);
        byte[] signature = answerSignature(answer, signer, peerDigest);
        System.arraycopy(signature, 0, answer, ANSWER_SIGNED_LENGTH, DIGEST_LENGTH);
        return answer;
    }

    /** Whether {@code answer} is a digest answer by {@code signer} to our packet whose digest was {@code ourDigest}. */
    public static boolean isValidDigestAnswer(byte[] answer, Signer signer, byte[] ourDigest) {
        requirePacket(answer);
        byte[] expected = answerSignature(answer, signer, ourDigest);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(answer, ANSWER_SIGNED_LENGTH, PACKET_SIZE));
    }

    /** Bytes 0-3 of a C1/S1 as an unsigned number. */
    public static long time(byte[] packet) {
        return readUnsignedInt(packet, TIME_OFFSET);
    }

    /** Bytes 4-7 of a C1/S1 as an unsigned number: zero in a simple handshake, else the sender's version. */
    public static long version(byte[] packet) {
        return readUnsignedInt(packet, VERSION_OFFSET);
    }

    private static byte[] answerSignature(byte[] answer, Signer signer, byte[] peerDigest) {
        if (peerDigest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest must be " + DIGEST_LENGTH + " bytes, not " + peerDigest.length);
        }
        byte[] key = hmac(signer.fullKey, peerDigest, 0, DIGEST_LENGTH, null, 0, 0);
        return hmac(key, answer, 0, ANSWER_SIGNED_LENGTH, null, 0, 0);
    }

    /** HMAC over the packet without the 32 bytes at {@code position}. */
    private static byte[] packetDigest(byte[] packet, int position, byte[] key) {
        int after = position + DIGEST_LENGTH;
        return hmac(key, packet, 0, position, packet, after, PACKET_SIZE - after);
    }

    private static byte[] hmac(byte[] key, byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(a, aOffset, aLength);
            if (b != null) {
                mac.update(b, bOffset, bLength);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256 (java.security.Security standard names).
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static void requirePacket(byte[] packet) {
        if (packet.length != PACKET_SIZE) {
            throw new IllegalArgumentException(
                    "handshake packet must be " + PACKET_SIZE + " bytes, not " + packet.length);
        }
    }

    private static void writeInt(byte[] packet, int offset, int value) {
        packet[offset] = (byte) (value >>> 24);
        packet[offset + 1] = (byte) (value >>> 16);
        packet[offset + 2] = (byte) (value >>> 8);
        packet[offset + 3] = (byte) value;
    }

    private static long readUnsignedInt(byte[] packet, int offset) {
        return ((packet[offset] & 0xFFL) << 24)
                | ((packet[offset + 1] & 0xFFL) << 16)
                | ((packet[offset + 2] & 0xFFL) << 8)
                | (packet[offset + 3] & 0xFFL);
    }
}
