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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeHandlerTest {

    private static final int S0_S1_S2 = 1 + 2 * 1536;
    /** A chunk header as a client sends it after C2: fmt 0, csid 3, timestamp 0, length 0x8A, type 20, stream 0. */
    private static final byte[] AFTER_C2 = {0x03, 0, 0, 0, 0, 0, (byte) 0x8A, 0x14, 0, 0, 0, 0, 0x02, 0, 0x07};

    /** The handler after the handshake handler in the channel made by {@link #server()}. */
    private Recorder recorder = new Recorder();

    /** A server channel with time frozen, so the time fields are predictable. */
    private EmbeddedChannel server() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ServerHandshakeHandler(Duration.ofSeconds(10), new Random(99)), recorder);
        return channel;
    }

    private static byte[] c0(byte[] c1) {
        return concat(new byte[] {3}, c1);
    }

    private static byte[] readAll(EmbeddedChannel channel) {
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            try {
                parts.add(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return concat(parts.toArray(new byte[0][]));
    }

    @Test
    void simpleC1GetsS0SimpleS1AndEchoingS2InOneWrite() {
        EmbeddedChannel channel = server();
        byte[] c1 = HandshakePackets.createSimple(0x00001234, new Random(1));
        channel.advanceTimeBy(250, TimeUnit.MILLISECONDS);
        channel.writeInbound(Unpooled.wrappedBuffer(c0(c1)));

        ByteBuf reply = channel.readOutbound();
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(reply);
        } finally {
            reply.release();
        }
        assertNull(channel.readOutbound(), "one write");
        assertEquals(S0_S1_S2, bytes.length);
        assertEquals(3, bytes[0], "S0 version");
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 250}, Arrays.copyOfRange(bytes, 1, 5), "S1 time: ms since start");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(bytes, 5, 9), "S1 zero");
        assertArrayEquals(new byte[] {0, 0, 0x12, 0x34}, Arrays.copyOfRange(bytes, 1537, 1541), "S2 time = C1 time");
        assertArrayEquals(
                new byte[] {0, 0, 0, (byte) 250}, Arrays.copyOfRange(bytes, 1541, 1545), "S2 time2 = C1 read");
        assertArrayEquals(Arrays.copyOfRange(c1, 8, 1536), Arrays.copyOfRange(bytes, 1545, 3073), "S2 random echo");
        assertFalse(channel.finish());
    }

    @Test
    void simpleHandshakeCompletesWithEchoC2() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(7, new Random(2)))));
        byte[] s1 = Arrays.copyOfRange(readAll(channel), 1, 1537);
        channel.writeInbound(Unpooled.wrappedBuffer(HandshakePackets.createEcho(s1, 0)));

        assertEquals(List.of(new HandshakeCompleted(false, 7, 0, true)), recorder.seen);
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void digestC1GetsDigestS1InTheSameSchemeAndS2OverC1Digest(DigestScheme scheme) {
        EmbeddedChannel channel = server();
        byte[] c1 = HandshakePackets.createWithDigest(Signer.CLIENT, 0, 0x80000702, scheme, new Random(3));
        channel.writeInbound(Unpooled.wrappedBuffer(c0(c1)));

        byte[] reply = readAll(channel);
        byte[] s1 = Arrays.copyOfRange(reply, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(reply, 1537, 3073);
        assertEquals(0x0D0E0A0DL, HandshakePackets.version(s1), "S1 server version");
        assertEquals(Optional.of(scheme), HandshakePackets.findDigest(s1, Signer.SERVER), "S1 FMS digest");
        assertTrue(
                HandshakePackets.isValidDigestAnswer(s2, Signer.SERVER, HandshakePackets.digestOf(c1, scheme)),
                "S2 signed over C1's digest");
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void digestHandshakeCompletesWithDigestC2(DigestScheme scheme) {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(
                c0(HandshakePackets.createWithDigest(Signer.CLIENT, 5, 0x80000702, scheme, new Random(4)))));
        byte[] s1 = Arrays.copyOfRange(readAll(channel), 1, 1537);
        byte[] s1Digest = HandshakePackets.digestOf(
                s1, HandshakePackets.findDigest(s1, Signer.SERVER).orElseThrow());
        channel.writeInbound(
                Unpooled.wrappedBuffer(HandshakePackets.createDigestAnswer(Signer.CLIENT, s1Digest, new Random(5))));

        assertEquals(List.of(new HandshakeCompleted(true, 5, 0x80000702L, true)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void c2ThatAnswersNothingIsAcceptedAndReportedUnverified() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(0, new Random(6)))));
        readAll(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1536]));

        assertEquals(List.of(new HandshakeCompleted(false, 0, 0, false)), recorder.seen);
        assertFalse(channel.finish());
    }

    @Test
    void garbageC1WithNonZeroVersionGetsSimpleAnswer() {
        EmbeddedChannel channel = server();
        byte[] c1 = HandshakePacketsTest.randomBytes(7);
        c1[4] = (byte) 0x80; // claims a version, carries no valid digest
        channel.writeInbound(Unpooled.wrappedBuffer(c0(c1)));

        byte[] reply = readAll(channel);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(reply, 5, 9), "S1 zero: simple");
        assertTrue(HandshakePackets.isEcho(Arrays.copyOfRange(reply, 1537, 3073), c1), "S2 echoes C1");
        assertFalse(channel.finish());
    }

    @Test
    void bytesAfterC2ReachNextHandlerAfterTheEventAndHandlerIsRemoved() {
        EmbeddedChannel channel = server();
        byte[] c1 = HandshakePackets.createSimple(0, new Random(8));
        channel.writeInbound(Unpooled.wrappedBuffer(c0(c1)));
        byte[] s1 = Arrays.copyOfRange(readAll(channel), 1, 1537);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(HandshakePackets.createEcho(s1, 0), AFTER_C2)));

        assertEquals(2, recorder.seen.size(), recorder.seen.toString());
        assertEquals(new HandshakeCompleted(false, 0, 0, true), recorder.seen.get(0), "event first");
        assertArrayEquals(AFTER_C2, (byte[]) recorder.seen.get(1), "then the bytes, intact");
        assertNull(channel.pipeline().get(ServerHandshakeHandler.class), "removed");
        assertFalse(channel.finish());
    }

    @Test
    void laterReadsGoStraightToNextHandler() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(0, new Random(9)))));
        byte[] s1 = Arrays.copyOfRange(readAll(channel), 1, 1537);
        channel.writeInbound(Unpooled.wrappedBuffer(HandshakePackets.createEcho(s1, 0)));
        channel.writeInbound(Unpooled.wrappedBuffer(AFTER_C2));

        assertArrayEquals(AFTER_C2, (byte[]) recorder.seen.get(1));
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneBytePiecesComplete(boolean digest) {
        byte[] input = clientInput(digest);
        EmbeddedChannel channel = server();
        for (byte b : input) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertHandshakeCompleted(channel, digest);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void twoPiecesSplitAtEveryOffsetComplete(boolean digest) {
        byte[] input = clientInput(digest);
        for (int split = 0; split <= input.length; split++) {
            recorder = new Recorder();
            EmbeddedChannel channel = server();
            channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
            assertHandshakeCompleted(channel, digest);
        }
    }

    /**
     * C0 + C1 + C2 + 15 bytes of a chunk, built for the S1 the server will send: its random source
     * is seeded, so a first run of the same server tells what S1 will be.
     */
    private byte[] clientInput(boolean digest) {
        byte[] c1 = digest
                ? HandshakePackets.createWithDigest(Signer.CLIENT, 0, 0x80000702, DigestScheme.SCHEME_0, new Random(10))
                : HandshakePackets.createSimple(0, new Random(10));
        EmbeddedChannel probe = new EmbeddedChannel();
        probe.freezeTime();
        probe.pipeline().addLast(new ServerHandshakeHandler(Duration.ofSeconds(10), new Random(99)), new Recorder());
        probe.writeInbound(Unpooled.wrappedBuffer(c0(c1)));
        byte[] s1 = Arrays.copyOfRange(readAll(probe), 1, 1537);
        probe.finishAndReleaseAll();
        byte[] c2 = digest
                ? HandshakePackets.createDigestAnswer(
                        Signer.CLIENT, HandshakePackets.digestOf(s1, DigestScheme.SCHEME_0), new Random(11))
                : HandshakePackets.createEcho(s1, 0);
        return concat(c0(c1), c2, AFTER_C2);
    }

    private void assertHandshakeCompleted(EmbeddedChannel channel, boolean digest) {
        byte[] reply = readAll(channel);
        assertEquals(S0_S1_S2, reply.length, "S0 S1 S2");
        assertEquals(new HandshakeCompleted(digest, 0, digest ? 0x80000702L : 0, true), recorder.seen.get(0));
        byte[] after = concat(recorder.seen.subList(1, recorder.seen.size()).stream()
                .map(byte[].class::cast)
                .toArray(byte[][]::new));
        assertArrayEquals(AFTER_C2, after);
        assertNull(channel.pipeline().get(ServerHandshakeHandler.class));
        assertFalse(channel.finish());
    }

    @Test
    void versionSixIsRejectedAsUnsupportedRtmpe() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {6}, new byte[1536])));

        HandshakeException e = recorder.onlyFailure();
        assertEquals(
                "C0 version byte 0x06 asks for encrypted RTMP (RTMPE), which is not supported; "
                        + "use plain RTMP (3) (state: waiting for C0)",
                e.getMessage());
        assertFalse(channel.isOpen(), "closed");
        assertNull(channel.readOutbound(), "nothing answered");
        assertEquals(1, recorder.seen.size(), "the 1536 bytes after C0 are discarded, not passed on");
        assertFalse(channel.finish());
    }

    @Test
    void tlsRecordByteIsRejectedNamingTls() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01}));

        assertEquals(
                "C0 version byte 0x16 is not RTMP: it looks like a TLS handshake (RTMPS) sent to a "
                        + "plain RTMP port (state: waiting for C0)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void otherVersionByteIsRejected() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G', 'E', 'T'}));

        assertEquals(
                "C0 version byte 0x47 is not supported; expected RTMP version 3 (state: waiting for C0)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void timeoutWhileWaitingForC1FailsAndCloses() {
        EmbeddedChannel waiting = server();
        waiting.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, new byte[100])));
        waiting.advanceTimeBy(10, TimeUnit.SECONDS);
        waiting.runScheduledPendingTasks();

        assertEquals(
                "handshake timed out after 10 s (state: waiting for C1, 100 of 1536 bytes received)",
                recorder.onlyFailure().getMessage());
        assertFalse(waiting.isOpen());
        assertFalse(waiting.finish());
    }

    @Test
    void noTimeoutBeforeTheDeadline() {
        EmbeddedChannel channel = server();
        channel.advanceTimeBy(9999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(List.of(), recorder.seen);
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void timeoutIsCancelledOnCompletion() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(0, new Random(12)))));
        byte[] s1 = Arrays.copyOfRange(readAll(channel), 1, 1537);
        channel.writeInbound(Unpooled.wrappedBuffer(HandshakePackets.createEcho(s1, 0)));
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(1, recorder.seen.size(), recorder.seen.toString());
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void timeoutIsCancelledWhenTheHandlerIsRemoved() {
        EmbeddedChannel channel = server();
        channel.pipeline().remove(ServerHandshakeHandler.class);
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(List.of(), recorder.seen);
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
    }

    @Test
    void closeInTheMiddleOfC2FailsWithShortRead() {
        EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(0, new Random(13)))));
        readAll(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[700]));
        channel.close();

        assertEquals(
                "connection closed during the handshake (state: waiting for C2, 700 of 1536 bytes received)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void closeBeforeAnyByteFailsWithShortRead() {
        EmbeddedChannel channel = server();
        channel.close();

        assertEquals(
                "connection closed during the handshake (state: waiting for C0, 0 of 1 bytes received)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void failedWriteOfTheAnswerFailsTheHandshake() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new IOException("broken pipe"));
            }
        });
        channel.pipeline().addLast(new ServerHandshakeHandler(), recorder);
        channel.writeInbound(Unpooled.wrappedBuffer(c0(HandshakePackets.createSimple(0, new Random(14)))));

        assertEquals(
                "could not send S0+S1+S2: java.io.IOException: broken pipe (state: waiting for C1)",
                recorder.onlyFailure().getMessage());
        assertFalse(channel.isOpen());
        assertFalse(channel.finish());
    }
}
