package io.github.rtmpedge.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.rtmpedge.rtmp.message.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random message sets × random chunk sizes × random fragmentation: messages → chunks → messages is
 * the identity, and chunks → messages → chunks is byte-exact. Seeds are fixed so a failure repeats;
 * the failing seed is in the assertion message.
 */
class ChunkRoundTripPropertyTest {

    private static final int[] CSIDS = {3, 4, 5, 6, 7, 63, 64, 200, 319, 320, 1000, 65599};
    private static final int[] TYPES = {
        MessageType.AUDIO,
        MessageType.VIDEO,
        MessageType.DATA_AMF0,
        MessageType.COMMAND_AMF0,
        MessageType.AGGREGATE,
        MessageType.USER_CONTROL
    };

    /** What a message was, kept apart from its buffer. */
    @SuppressWarnings("ArrayRecordComponent") // compared field by field, with assertArrayEquals
    private record Expected(int csid, long timestamp, int typeId, int msid, byte[] payload) {}

    @Test
    void randomMessagesRoundTripThroughRandomChunkSizesAndFragmentation() {
        for (long seed = 1; seed <= 150; seed++) {
            runOnce(seed);
        }
    }

    private static void runOnce(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Expected> expected = new ArrayList<>();
        long[] clock = new long[65600];
        int count = 1 + random.nextInt(40);
        ChunkWriter writer = new ChunkWriter();
        ByteBuf wire = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            for (int i = 0; i < count; i++) {
                Expected e;
                if (random.nextInt(8) == 0) {
                    int size = randomChunkSize(random);
                    byte[] p = {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
                    e = new Expected(ChunkStreamIds.PROTOCOL_CONTROL, 0, MessageType.SET_CHUNK_SIZE, 0, p);
                } else {
                    int csid = CSIDS[random.nextInt(CSIDS.length)];
                    long ts = nextTimestamp(random, clock[csid]);
                    clock[csid] = ts;
                    byte[] p = new byte[randomLength(random)];
                    for (int j = 0; j < p.length; j++) {
                        p[j] = (byte) random.nextInt(256);
                    }
                    e = new Expected(csid, ts, TYPES[random.nextInt(TYPES.length)], random.nextInt(3), p);
                }
                expected.add(e);
                RawMessage m = new RawMessage(
                        e.csid,
                        e.timestamp,
                        e.typeId,
                        e.msid,
                        PooledByteBufAllocator.DEFAULT.buffer(e.payload.length).writeBytes(e.payload));
                try {
                    writer.write(m, wire);
                } finally {
                    m.release();
                }
            }
            byte[] bytes = ByteBufUtil.getBytes(wire);

            List<RawMessage> decoded = decodeFragmented(bytes, random);
            ByteBuf reencoded = PooledByteBufAllocator.DEFAULT.buffer();
            ChunkWriter second = new ChunkWriter();
            try {
                assertEquals(expected.size(), decoded.size(), "seed " + seed);
                for (int i = 0; i < decoded.size(); i++) {
                    RawMessage m = decoded.get(i);
                    Expected e = expected.get(i);
                    String where = "seed " + seed + " message " + i;
                    assertEquals(e.csid, m.chunkStreamId(), where);
                    assertEquals(e.timestamp, m.timestamp(), where);
                    assertEquals(e.typeId, m.typeId(), where);
                    assertEquals(e.msid, m.messageStreamId(), where);
                    assertArrayEquals(e.payload, ByteBufUtil.getBytes(m.content()), where);
                    second.write(m, reencoded);
                }
                assertArrayEquals(
                        bytes, ByteBufUtil.getBytes(reencoded), "seed " + seed + ": re-encoding is byte-exact");
            } finally {
                reencoded.release();
                decoded.forEach(RawMessage::release);
            }
        } finally {
            wire.release();
        }
    }

    private static List<RawMessage> decodeFragmented(byte[] bytes, SplittableRandom random) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(new ChunkLimits(1 << 20, 8L << 20, 64)));
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 1500));
            ch.writeInbound(PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(bytes, i, n));
            i += n;
        }
        List<RawMessage> out = new ArrayList<>();
        for (RawMessage m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        assertFalse(ch.finish());
        return out;
    }

    private static int randomChunkSize(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> 1 + random.nextInt(16);
            case 1 -> 128;
            case 2 -> 4096;
            case 3 -> 60000;
            default -> 1 + random.nextInt(2000);
        };
    }

    private static int randomLength(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> random.nextInt(8);
            case 2 -> 3000 + random.nextInt(20000);
            default -> random.nextInt(600);
        };
    }

    private static long nextTimestamp(SplittableRandom random, long previous) {
        return switch (random.nextInt(10)) {
            case 0 -> random.nextLong(0x1_0000_0000L); // anywhere, backwards included
            case 1 -> 0xFFFFFF + random.nextInt(1000); // around the extended boundary
            case 2 -> (previous + 0x1000000L) & 0xFFFFFFFFL; // an extended delta
            default -> (previous + random.nextInt(100)) & 0xFFFFFFFFL;
        };
    }
}
