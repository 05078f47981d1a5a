package io.github.rtmpedge.rtmp.handshake;

import static io.github.rtmpedge.rtmp.handshake.HandshakePacketsTest.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.handshake.HandshakePackets.Signer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientHandshakeHandlerTest {

    private static final byte[] AFTER_S2 = {0x02, 0, 0, 0, 0, 0, 0x04, 0x05, 0, 0, 0, 0, 0, 0x26, 0x25, (byte) 0xA0};

    private final Recorder recorder = new Recorder();

    private EmbeddedChannel client(HandshakeMode mode) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ClientHandshakeHandler(mode, Duration.ofSeconds(5), new Random(77)), recorder);
        return channel;
    }

    private static byte[] readOne(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void simpleModeSendsC0AndSimpleC1OnActive() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);

        byte[] c0c1 = readOne(channel);
        assertEquals(1537, c0c1.length);
        assertEquals(3, c0c1[0], "C0 version");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(c0c1, 1, 5), "C1 time 0 at start");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(c0c1, 5, 9), "C1 zero");
        assertFalse(channel.finish());
    }

    @Test
    void digestModeSendsFlashPlayerVersionAndValidDigestInScheme0() {
        EmbeddedChannel channel = client(HandshakeMode.DIGEST);

        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        assertEquals(0x80000702L, HandshakePackets.version(c1));
        assertEquals(Optional.of(DigestScheme.SCHEME_0), HandshakePackets.findDigest(c1, Signer.CLIENT));
        assertFalse(channel.finish());
    }

    @Test
    void simpleHandshakeEchoesS1AsC2AndCompletes() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        byte[] s1 = HandshakePackets.createSimple(0x2000, new Random(1));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, HandshakePackets.createEcho(c1, 0))));

        assertTrue(HandshakePackets.isEcho(readOne(channel), s1), "C2 echoes S1");
        assertEquals(List.of(new HandshakeCompleted(false, 0x2000, 0, true)), recorder.seen);
        assertNull(channel.pipeline().get(ClientHandshakeHandler.class));
        assertFalse(channel.finish());
    }

    @Test
    void digestHandshakeAnswersS1DigestAndCompletes() {
        EmbeddedChannel channel = client(HandshakeMode.DIGEST);
        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        byte[] s1 =
                HandshakePackets.createWithDigest(Signer.SERVER, 9, 0x0D0E0A0D, DigestScheme.SCHEME_1, new Random(2));
        byte[] s2 = HandshakePackets.createDigestAnswer(
                Signer.SERVER, HandshakePackets.digestOf(c1, DigestScheme.SCHEME_0), new Random(3));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, s2)));

        byte[] c2 = readOne(channel);
        assertTrue(
                HandshakePackets.isValidDigestAnswer(
                        c2, Signer.CLIENT, HandshakePackets.digestOf(s1, DigestScheme.SCHEME_1)),
                "C2 signed over S1's digest");
        assertEquals(List.of(new HandshakeCompleted(true, 9, 0x0D0E0A0DL, true)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void digestModeFailsWhenS1ClaimsVersionWithoutValidDigest() {
        EmbeddedChannel channel = client(HandshakeMode.DIGEST);
        readOne(channel);
        byte[] s1 =
                HandshakePackets.createWithDigest(Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_0, new Random(4));
        s1[DigestScheme.SCHEME_0.digestPosition(s1) + 31] ^= 0x01;
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1)));

        assertEquals(
                "S1 has server version 0x0D0E0A0D but no valid Flash Media Server digest in scheme 0 or 1 "
                        + "(state: waiting for S1)",
                recorder.onlyFailure().getMessage());
        assertNull(channel.readOutbound(), "no C2");
        assertFalse(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void digestModeFallsBackToEchoWhenS1IsSimple() {
        EmbeddedChannel channel = client(HandshakeMode.DIGEST);
        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        byte[] s1 = HandshakePackets.createSimple(0, new Random(5));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, HandshakePackets.createEcho(c1, 0))));

        assertTrue(HandshakePackets.isEcho(readOne(channel), s1));
        assertEquals(List.of(new HandshakeCompleted(false, 0, 0, true)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void simpleModeIgnoresAServerDigest() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        byte[] s1 =
                HandshakePackets.createWithDigest(Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_0, new Random(6));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, HandshakePackets.createEcho(c1, 0))));

        assertTrue(HandshakePackets.isEcho(readOne(channel), s1));
        assertEquals(List.of(new HandshakeCompleted(false, 0, 0x0D0E0A0DL, true)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void s2ThatAnswersNothingIsAcceptedAndReportedUnverified() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        readOne(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(
                concat(new byte[] {3}, HandshakePackets.createSimple(0, new Random(7)), new byte[1536])));

        readOne(channel);
        assertEquals(List.of(new HandshakeCompleted(false, 0, 0, false)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void bytesAfterS2InOneByteReadsReachNextHandler() {
        EmbeddedChannel channel = client(HandshakeMode.DIGEST);
        byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
        byte[] s1 =
                HandshakePackets.createWithDigest(Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_0, new Random(8));
        byte[] s2 = HandshakePackets.createDigestAnswer(
                Signer.SERVER, HandshakePackets.digestOf(c1, DigestScheme.SCHEME_0), new Random(9));
        for (byte b : concat(new byte[] {3}, s1, s2, AFTER_S2)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        readOne(channel);
        assertEquals(new HandshakeCompleted(true, 0, 0x0D0E0A0DL, true), recorder.seen.get(0));
        byte[] after = concat(recorder.seen.subList(1, recorder.seen.size()).stream()
                .map(byte[].class::cast)
                .toArray(byte[][]::new));
        assertArrayEquals(AFTER_S2, after);
        assertFalse(channel.finish());
    }

    @Test
    void serverAnswerSplitInTwoAtEveryOffsetCompletes() {
        for (int split = 0; split <= 3073 + AFTER_S2.length; split++) {
            Recorder events = new Recorder();
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.pipeline().addLast(new ClientHandshakeHandler(HandshakeMode.DIGEST, Duration.ofSeconds(5)), events);
            byte[] c1 = Arrays.copyOfRange(readOne(channel), 1, 1537);
            byte[] s1 = HandshakePackets.createWithDigest(
                    Signer.SERVER, 0, 0x0D0E0A0D, DigestScheme.SCHEME_0, new Random(split));
            byte[] s2 = HandshakePackets.createDigestAnswer(
                    Signer.SERVER, HandshakePackets.digestOf(c1, DigestScheme.SCHEME_0), new Random(split));
            byte[] input = concat(new byte[] {3}, s1, s2, AFTER_S2);
            channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));

            assertEquals(1536, readOne(channel).length, "C2 at split " + split);
            assertEquals(new HandshakeCompleted(true, 0, 0x0D0E0A0DL, true), events.seen.get(0), "split " + split);
            byte[] after = concat(events.seen.subList(1, events.seen.size()).stream()
                    .map(byte[].class::cast)
                    .toArray(byte[][]::new));
            assertArrayEquals(AFTER_S2, after, "split " + split);
            assertFalse(channel.finish());
        }
    }

    @Test
    void s0VersionSixIsRejectedAsRtmpe() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        readOne(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {6}));

        assertEquals(
                "S0 version byte 0x06 asks for encrypted RTMP (RTMPE), which is not supported; "
                        + "use plain RTMP (3) (state: waiting for S0)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void timeoutWhileWaitingForS0() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        readOne(channel);
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(
                "handshake timed out after 5 s (state: waiting for S0, 0 of 1 bytes received)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void closeWhileWaitingForS2FailsWithShortRead() {
        EmbeddedChannel channel = client(HandshakeMode.SIMPLE);
        readOne(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(
                concat(new byte[] {3}, HandshakePackets.createSimple(0, new Random(10)), new byte[10])));
        readOne(channel);
        channel.close();

        assertEquals(
                "connection closed during the handshake (state: waiting for S2, 10 of 1536 bytes received)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void addedToAnActiveChannelStartsAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new ClientHandshakeHandler(HandshakeMode.SIMPLE), recorder);

        assertEquals(1537, readOne(channel).length);
        assertFalse(channel.finish());
    }
}
