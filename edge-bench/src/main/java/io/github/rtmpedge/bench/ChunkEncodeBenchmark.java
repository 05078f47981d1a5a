package io.github.rtmpedge.bench;

import io.github.rtmpedge.rtmp.chunk.ChunkWriter;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Outbound side of one connection: {@value Harness#MEDIA_SECONDS} s of the {@link MediaMix}
 * through one {@link ChunkWriter} (per-chunk-stream header compression) into a reused pooled direct
 * buffer. One operation is the whole mix; the {@code :megabytes} row gives MB/s of wire bytes
 * written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {Harness.NO_LEAK_DETECTION, Harness.HEAP_MIN, Harness.HEAP_MAX})
@Warmup(iterations = Harness.WARMUP_ITERATIONS, time = Harness.ITERATION_SECONDS)
@Measurement(iterations = Harness.MEASUREMENT_ITERATIONS, time = Harness.ITERATION_SECONDS)
public class ChunkEncodeBenchmark {

    @Param({"128", "4096", "60000"})
    public int chunkSize;

    private List<RawMessage> messages;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void generate() {
        messages = MediaMix.generate(Harness.MEDIA_SECONDS);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(MediaMix.encodedLengthBound(messages, chunkSize));
        System.out.printf(
                "%nwire: %d bytes of payload in %d messages, chunk size %d%n",
                MediaMix.payloadBytes(messages), messages.size(), chunkSize);
    }

    @TearDown(Level.Trial)
    public void release() {
        messages.forEach(RawMessage::release);
        out.release();
    }

    /** A fresh writer (as for a new connection): Set Chunk Size, then every message. Returns the bytes written. */
    @Benchmark
    public int encodeCompressed(Throughput throughput) {
        out.clear();
        MediaMix.writeAll(new ChunkWriter(), messages, chunkSize, out);
        int written = out.readableBytes();
        throughput.add(written);
        return written;
    }
}
