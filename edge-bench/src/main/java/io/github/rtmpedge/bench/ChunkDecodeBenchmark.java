package io.github.rtmpedge.bench;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkReader;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
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
 * Inbound side of a publisher connection: {@value Harness#MEDIA_SECONDS} s of the
 * {@link MediaMix} as one {@code ChunkWriter} encoded it, fed to a fresh {@link ChunkReader} in
 * {@value Harness#READ_SIZE}-byte reads from a pooled direct buffer, cumulated the way
 * {@link ByteToMessageDecoder} does. One operation is the whole wire; the {@code :megabytes} row
 * gives MB/s of wire bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {Harness.NO_LEAK_DETECTION, Harness.HEAP_MIN, Harness.HEAP_MAX})
@Warmup(iterations = Harness.WARMUP_ITERATIONS, time = Harness.ITERATION_SECONDS)
@Measurement(iterations = Harness.MEASUREMENT_ITERATIONS, time = Harness.ITERATION_SECONDS)
public class ChunkDecodeBenchmark {

    @Param({"128", "4096", "60000"})
    public int chunkSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<Object> out = new ArrayList<>();
    private ByteBuf wire;
    private int expectedMessages;

    @Setup(Level.Trial)
    public void encodeWire() {
        List<RawMessage> messages = MediaMix.generate(Harness.MEDIA_SECONDS);
        try {
            wire = MediaMix.pooledDirect(alloc, MediaMix.encode(messages, chunkSize));
            expectedMessages = messages.size() + 1; // and Set Chunk Size
        } finally {
            messages.forEach(RawMessage::release);
        }
        int decoded = decode(new Throughput());
        if (decoded != expectedMessages) {
            throw new IllegalStateException("decoded " + decoded + " messages, encoded " + expectedMessages);
        }
        int keyframes = decodeTyped(new Throughput());
        int expectedKeyframes = Harness.MEDIA_SECONDS * 1000 / MediaMix.KEYFRAME_INTERVAL_MS;
        if (keyframes != expectedKeyframes) {
            throw new IllegalStateException("found " + keyframes + " keyframes, encoded " + expectedKeyframes);
        }
        System.out.printf(
                "%nwire: %d bytes, %d messages, chunk size %d%n", wire.readableBytes(), expectedMessages, chunkSize);
    }

    @TearDown(Level.Trial)
    public void releaseWire() {
        wire.release();
    }

    /** Chunk reassembly only; returns the number of messages (all released). */
    @Benchmark
    public int decode(Throughput throughput) {
        ChunkReader reader = new ChunkReader(ChunkLimits.DEFAULT);
        int messages = 0;
        ByteBuf cumulation = null;
        try {
            for (int offset = 0, end = wire.writerIndex(); offset < end; offset += Harness.READ_SIZE) {
                ByteBuf read = wire.retainedSlice(offset, Math.min(Harness.READ_SIZE, end - offset));
                cumulation = cumulation == null
                        ? read
                        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, read);
                reader.read(cumulation, alloc, out);
                for (Object message : out) {
                    ReferenceCountUtil.release(message);
                }
                messages += out.size();
                out.clear();
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                }
            }
        } finally {
            if (cumulation != null) {
                cumulation.release();
            }
            reader.release();
        }
        throughput.add(wire.writerIndex());
        return messages;
    }

    /**
     * Chunk reassembly, then each message made typed ({@link Messages#decode}) and each video
     * message checked for a keyframe, as a publisher's handler does; returns the keyframe count.
     */
    @Benchmark
    public int decodeTyped(Throughput throughput) {
        ChunkReader reader = new ChunkReader(ChunkLimits.DEFAULT);
        int keyframes = 0;
        ByteBuf cumulation = null;
        try {
            for (int offset = 0, end = wire.writerIndex(); offset < end; offset += Harness.READ_SIZE) {
                ByteBuf read = wire.retainedSlice(offset, Math.min(Harness.READ_SIZE, end - offset));
                cumulation = cumulation == null
                        ? read
                        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, read);
                reader.read(cumulation, alloc, out);
                for (Object message : out) {
                    RawMessage raw = (RawMessage) message;
                    try {
                        RtmpMessage typed = Messages.decode(raw, AmfLimits.DEFAULT);
                        if (typed instanceof VideoMessage video && VideoTags.isKeyframe(video.content())) {
                            keyframes++;
                        }
                        ReferenceCountUtil.release(typed);
                    } finally {
                        raw.release();
                    }
                }
                out.clear();
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                }
            }
        } finally {
            if (cumulation != null) {
                cumulation.release();
            }
            reader.release();
        }
        throughput.add(wire.writerIndex());
        return keyframes;
    }
}
