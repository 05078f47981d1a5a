package io.github.rtmpedge.bench;

import io.github.rtmpedge.rtmp.chunk.ChunkWriter;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The edge's fan-out: each media message is chunked once, self-contained (format 0 header, format 3
 * continuations), and the one encoding is shared by every player.
 */
@Fork(
        value = 1,
        jvmArgsAppend = {Harness.NO_LEAK_DETECTION, Harness.HEAP_MIN, Harness.HEAP_MAX})
@Warmup(iterations = Harness.WARMUP_ITERATIONS, time = Harness.ITERATION_SECONDS)
@Measurement(iterations = Harness.MEASUREMENT_ITERATIONS, time = Harness.ITERATION_SECONDS)
public class FanOutBenchmark {

    /** Players sharing one encoded message in {@link #fanOutShare}. */
    static final int PLAYERS = 1000;

    /** The mix, for {@link #encodeSelfContainedOnce}; chunk sizes an edge sends to players. */
    @State(Scope.Thread)
    public static class Mix {

        @Param({"4096", "60000"})
        public int chunkSize;

        final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        List<RawMessage> messages;

        @Setup(Level.Trial)
        public void generate() {
            messages = MediaMix.generate(Harness.MEDIA_SECONDS);
        }

        @TearDown(Level.Trial)
        public void release() {
            messages.forEach(RawMessage::release);
        }
    }

    /** One encoded keyframe and a slot per player, for {@link #fanOutShare}. */
    @State(Scope.Thread)
    public static class Shared {

        final ByteBuf[] players = new ByteBuf[PLAYERS];
        ByteBuf encoded;

        @Setup(Level.Trial)
        public void encode() {
            List<RawMessage> messages = MediaMix.generate(MediaMix.KEYFRAME_INTERVAL_MS / 1000);
            try {
                RawMessage keyframe = messages.stream()
                        .filter(m -> m.length() == MediaMix.KEYFRAME_BYTES)
                        .findFirst()
                        .orElseThrow();
                encoded = ChunkWriter.encodeSelfContained(PooledByteBufAllocator.DEFAULT, keyframe, 60_000);
            } finally {
                messages.forEach(RawMessage::release);
            }
        }

        @TearDown(Level.Trial)
        public void release() {
            encoded.release();
        }
    }

    /**
     * {@link ChunkWriter#encodeSelfContained} for every message of the mix into a new pooled buffer,
     * released at once. One operation is the whole mix; the {@code :megabytes} row gives MB/s of
     * encoded bytes.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long encodeSelfContainedOnce(Mix mix, Throughput throughput) {
        long written = 0;
        for (RawMessage message : mix.messages) {
            ByteBuf encoded = ChunkWriter.encodeSelfContained(mix.alloc, message, mix.chunkSize);
            written += encoded.readableBytes();
            encoded.release();
        }
        throughput.add(written);
        return written;
    }

    /**
     * The per-player cost of sharing one encoded message: a retained duplicate for each of
     * {@value #PLAYERS} players, then each released as its write completes. Reported per player.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(PLAYERS)
    public ByteBuf[] fanOutShare(Shared shared) {
        ByteBuf[] players = shared.players;
        for (int i = 0; i < players.length; i++) {
            players[i] = shared.encoded.retainedDuplicate();
        }
        for (ByteBuf player : players) {
            player.release();
        }
        return players;
    }
}
