package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.rtmpedge.edge.stream.TestFrames;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.UnknownMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the chunk and message layers after a valid handshake, beside a healthy stream
 * ({@link HostileFixture}): chunk sizes 0, 1, 0x7FFFFFFF and one with the top bit set, 16 MiB
 * messages announced on many chunk streams, continuation chunks with no header, unknown message
 * types, AMF nested 10 000 deep, an AMF string claiming 4 GiB, and resets in the middle of a chunk.
 */
class ChunkAttacksRealPeersTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static HostileFixture fixture;

    @BeforeAll
    static void start() {
        fixture = HostileFixture.start(dir, "");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A Set Chunk Size message on chunk stream 2 with {@code value} as its 32-bit payload (5.4.1). */
    private static byte[] setChunkSize(long value) {
        return new byte[] {
            0x02, // fmt 0, csid 2
            0,
            0,
            0, // timestamp
            0,
            0,
            4, // length 4
            0x01, // type 1: Set Chunk Size
            0,
            0,
            0,
            0, // message stream 0
            (byte) (value >>> 24),
            (byte) (value >>> 16),
            (byte) (value >>> 8),
            (byte) value
        };
    }

    /** A format 0 header on {@code csid} (2..63) announcing a message of {@code length} bytes of {@code type}. */
    private static byte[] header(int csid, int length, int type) {
        return new byte[] {
            (byte) csid, 0, 0, 0, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, 1, 0, 0, 0
        }; // message stream 1, little-endian
    }

    /** Sends {@code wire} after connect and expects the server to close with {@code reason} in its log. */
    private static void assertRefused(byte[] wire, String reason) {
        try (RawRtmpClient attacker = RawRtmpClient.connectedToApp(fixture.port())) {
            attacker.sendRaw(wire);
            fixture.assertClosed(attacker, reason);
        }
    }

    @Test
    void chunkSizeZeroIsAProtocolError() {
        HostileFixture.Window window = fixture.window("chunk size 0");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "malformed");
        assertRefused(setChunkSize(0), "protocol error: Set Chunk Size of 0 is invalid");
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    @Test
    void chunkSizeWithTheTopBitSetIsAProtocolError() {
        HostileFixture.Window window = fixture.window("chunk size 0x80000000");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "malformed");
        assertRefused(
                setChunkSize(0x80000000L), "protocol error: Set Chunk Size 0x80000000 has the reserved top bit set");
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * 0x7FFFFFFF is the largest legal chunk size: every message then comes in one chunk, which
     * changes nothing for memory, since a message is still bounded by max_message_length (8 MiB).
     */
    @Test
    void chunkSizeMaximumIsAcceptedButMessagesStayBoundedByMaxMessageLength() {
        HostileFixture.Window window = fixture.window("chunk size 0x7FFFFFFF");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "limit_exceeded");
        try (RawRtmpClient attacker = RawRtmpClient.publishing(fixture.port(), "max-chunk", HostileFixture.WAIT)) {
            attacker.sendRaw(setChunkSize(0x7FFFFFFF));
            byte[] frame = new byte[200_000];
            frame[0] = 0x17; // AVC keyframe
            frame[1] = 1;
            attacker.sendRaw(concat(header(4, frame.length, 9), frame));
            assertFalse(attacker.closedByServerWithin(Duration.ofMillis(500)), "a 200 kB message in one chunk is fine");
            attacker.sendRaw(concat(header(4, 9 << 20, 9), new byte[1000]));
            fixture.assertClosed(attacker, "protocol error: max_message_length exceeded: 9437184 > 8388608");
        }
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * Chunk size 1 is legal (5.4.1 allows 1..2^31-1) and accepted by default: every payload byte
     * then costs a one-byte format 3 header, so the server's work stays proportional to the bytes
     * the peer sends. A player of that stream receives the media intact.
     */
    @Test
    void chunkSizeOneIsLegalAndItsCostIsBoundedByWhatThePeerSends() throws Exception {
        HostileFixture.Window window = fixture.window("chunk size 1");
        EventLoopGroup group = Transports.newGroup(1, "chunk-size-1-player");
        try (RawRtmpClient publisher = RawRtmpClient.publishing(fixture.port(), "tiny-chunks", HostileFixture.WAIT)) {
            publisher.send(new ProtocolControlMessage.SetChunkSize(1)); // our encoder chunks at 1 byte from here on
            publisher.send(new VideoMessage(0, 1, TestFrames.avcHeader()));
            publisher.send(new VideoMessage(0, 1, TestFrames.avcKey(20_000, 1)));
            try (TinyRtmpPlayer player = TinyRtmpPlayer.play(group, fixture.port(), EdgeUnderTest.APP, "tiny-chunks")) {
                player.firstKeyframeNanos().get(HostileFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
                long started = System.nanoTime();
                int frames = 50;
                for (int i = 1; i <= frames; i++) {
                    publisher.send(new VideoMessage(i * 40L, 1, TestFrames.avcInter(4_000, 2)));
                }
                Awaitility.await().atMost(HostileFixture.WAIT).until(() -> player.videoMessages() >= frames + 1);
                long millis = (System.nanoTime() - started) / 1_000_000;
                System.out.printf(
                        "[hostile] chunk size 1: %d frames of 4000 bytes (~%d kB on the wire) relayed in %d ms%n",
                        frames, frames * 8_000 / 1000, millis);
            }
            assertFalse(publisher.closedByServerWithin(Duration.ofMillis(200)), "chunk size 1 is not refused");
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        window.assertUnharmed(16);
    }

    /** One header announcing 16 MiB - 1: over max_message_length, refused before a byte is allocated. */
    @Test
    void sixteenMebibyteMessageIsRefusedAtItsHeader() {
        HostileFixture.Window window = fixture.window("16 MiB message header");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "limit_exceeded");
        assertRefused(header(3, 0xFFFFFF, 9), "protocol error: max_message_length exceeded: 16777215 > 8388608");
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * 50 connections each start 8 MiB messages (the most max_message_length allows) on two chunk
     * streams and send only their first 128-byte chunk: 800 MiB announced, but the server holds only
     * what arrived. The third announcement on a connection goes over max_partial_bytes (16 MiB).
     */
    @Test
    void largeMessagesAnnouncedOnManyChunkStreamsAtOnceAreBoundedByMaxPartialBytes() {
        HostileFixture.Window window = fixture.window("8 MiB announced on 2 x 50 chunk streams");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "limit_exceeded");
        int connections = 50;
        int length = 8 << 20;
        List<RawRtmpClient> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                RawRtmpClient attacker = RawRtmpClient.connectedToApp(fixture.port());
                attackers.add(attacker);
                attacker.sendRaw(concat(header(4, length, 9), new byte[128], header(5, length, 9), new byte[128]));
            }
            for (RawRtmpClient attacker : attackers) {
                assertFalse(
                        attacker.closedByServerWithin(Duration.ofMillis(20)),
                        "two 8 MiB messages in progress are allowed");
            }
            HostileFixture.Memory during = window.sampleDuring();
            System.out.printf(
                    "[hostile] %d connections x 2 announced 8 MiB messages (%d MiB announced): %s%n",
                    connections, connections * 2 * 8, during);
            for (RawRtmpClient attacker : attackers) {
                attacker.sendRaw(header(6, length, 9));
            }
            for (RawRtmpClient attacker : attackers) {
                fixture.assertClosed(attacker, "protocol error: max_partial_bytes exceeded: 25165824 > 16777216");
            }
        } finally {
            attackers.forEach(RawRtmpClient::close);
        }
        errors.assertIncreasedBy(connections);
        window.assertUnharmed(48);
    }

    @Test
    void continuationChunksWithNoPriorHeaderAreProtocolErrors() {
        HostileFixture.Window window = fixture.window("continuation chunk with no header");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "malformed");
        assertRefused(
                new byte[] {(byte) 0xC7, 1, 2, 3}, // fmt 3 on chunk stream 7
                "protocol error: chunk stream 7: format 3 header with no earlier format 0 or 1 header");
        assertRefused(
                new byte[] {(byte) 0x88, 0, 0, 40, 1, 2, 3}, // fmt 2 (timestamp delta only) on chunk stream 8
                "protocol error: chunk stream 8: format 2 header with no earlier format 0 or 1 header");
        errors.assertIncreasedBy(2);
        window.assertUnharmed(16);
    }

    /** Unknown types (7 is unassigned, 99 and 255 undefined) are ignored, counted and logged once; the connection stays. */
    @Test
    void unknownMessageTypesAreIgnoredCountedAndLoggedOnce() {
        HostileFixture.Window window = fixture.window("unknown message types");
        HostileFixture.Counted unknown = fixture.counted("rtmp.protocol.violations", "kind", "unknown_message");
        try (RawRtmpClient attacker = RawRtmpClient.connectedToApp(fixture.port())) {
            for (int round = 0; round < 100; round++) {
                for (int type : new int[] {7, 99, 255}) {
                    attacker.send(new UnknownMessage(type, 0, 0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4})));
                }
            }
            Awaitility.await().atMost(HostileFixture.WAIT).until(() -> unknown.increase() >= 300);
            assertFalse(
                    attacker.closedByServerWithin(Duration.ofMillis(300)),
                    "unknown messages are not a reason to close");
            Pattern logged =
                    Pattern.compile("127\\.0\\.0\\.1:" + attacker.localPort() + ": ignoring message of unknown type 7");
            assertEquals(1, fixture.logs.count(logged), fixture.logs::dump);
        }
        window.assertUnharmed(16);
    }

    /** A connect whose third value is a strict array nested 10 000 deep: refused at amf_max_depth (64). */
    @Test
    void amfNestedTenThousandLevelsIsRefusedAtTheDepthLimit() {
        HostileFixture.Window window = fixture.window("AMF nested 10000 deep");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "limit_exceeded");
        ByteBuf payload = connectPrefix();
        for (int i = 0; i < 10_000; i++) {
            payload.writeByte(0x0A).writeInt(1); // strict array of one element: the next level
        }
        payload.writeByte(0x05); // null at the bottom
        try (RawRtmpClient attacker = RawRtmpClient.handshaken(fixture.port())) {
            attacker.send(new RawMessage(3, 0, 20, 0, payload));
            fixture.assertClosed(attacker, "protocol error: amf.max_depth exceeded: 65 > 64");
        }
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /** A long string (marker 0x0C) whose 32-bit length says 4 GiB - 1: refused before anything is read or allocated. */
    @Test
    void amfStringClaimingFourGibibytesIsRefusedAtItsLength() {
        HostileFixture.Window window = fixture.window("AMF string claiming 4 GiB");
        HostileFixture.Counted errors = fixture.counted("rtmp.decoder.errors", "kind", "limit_exceeded");
        ByteBuf payload = connectPrefix();
        payload.writeByte(0x0C).writeInt(0xFFFFFFFF).writeBytes(new byte[16]);
        try (RawRtmpClient attacker = RawRtmpClient.handshaken(fixture.port())) {
            attacker.send(new RawMessage(3, 0, 20, 0, payload));
            fixture.assertClosed(attacker, "protocol error: amf.max_string_length exceeded: 4294967295 > 1048576");
        }
        errors.assertIncreasedBy(1);
        window.assertUnharmed(16);
    }

    /**
     * A publisher reset (RST) in the middle of a 60 kB video message: the partial message is released
     * (the leak detector runs at paranoid), the stream loses its source, the server logs the close.
     */
    @Test
    void aPublisherResetInTheMiddleOfAMessageReleasesItsStream() {
        HostileFixture.Window window = fixture.window("publisher reset mid-message");
        RawRtmpClient attacker = RawRtmpClient.publishing(fixture.port(), "reset-mid-message", HostileFixture.WAIT);
        int port = attacker.localPort();
        try {
            attacker.send(new VideoMessage(0, 1, TestFrames.avcHeader()));
            byte[] frame = attacker.encode(new VideoMessage(40, 1, TestFrames.avcKey(60_000, 3)));
            attacker.sendRaw(Arrays.copyOf(frame, frame.length / 2 + 7)); // stops inside a chunk
            fixture.logs.await(Pattern.compile("stream live/reset-mid-message source attached"), HostileFixture.WAIT);
        } finally {
            attacker.reset();
        }
        fixture.awaitClose(port, "publisher of live/reset-mid-message, (I/O error|peer closed)");
        fixture.logs.await(Pattern.compile("stream live/reset-mid-message source detached"), HostileFixture.WAIT);
        window.assertUnharmed(16);
    }

    /** A player of the healthy stream that resets while the server is in the middle of writing to it. */
    @Test
    void aPlayerResetInTheMiddleOfAChunkIsCleanedUp() {
        HostileFixture.Window window = fixture.window("player reset mid-chunk");
        RawRtmpClient player = RawRtmpClient.connectedToApp(fixture.port());
        int port = player.localPort();
        try {
            player.send(new io.github.rtmpedge.rtmp.message.CommandMessage(
                    1,
                    io.github.rtmpedge.rtmp.command.PlayRequest.of(HostileFixture.HEALTHY)
                            .toCommand(0)));
            player.awaitStatus("NetStream.Play.Start", HostileFixture.WAIT);
            // It reads nothing more: the GOP and live media pile up in its socket, then it resets.
        } finally {
            player.reset();
        }
        fixture.awaitClose(port, "player of live/" + HostileFixture.HEALTHY + ", (I/O error|peer closed)");
        window.assertUnharmed(16);
    }

    /** The start of an AMF0 connect command: the name "connect" and transaction 1; the test adds the rest. */
    private static ByteBuf connectPrefix() {
        ByteBuf payload = Unpooled.buffer();
        payload.writeByte(0x02).writeShort(7).writeBytes("connect".getBytes(StandardCharsets.US_ASCII)); // string
        payload.writeByte(0x00).writeDouble(1); // number
        return payload;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
