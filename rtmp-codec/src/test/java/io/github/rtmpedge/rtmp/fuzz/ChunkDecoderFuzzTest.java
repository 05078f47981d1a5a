package io.github.rtmpedge.rtmp.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkReader;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the chunk reader and the message decoder behind it: arbitrary bytes,
 * fed in arbitrary pieces. Only the codec's own exception may escape; buffers are all released
 * (the leak guard checks); small limits keep every input's memory bounded.
 *
 * <p>In the normal build this runs in regression mode on the inputs under
 * {@code src/test/resources/.../ChunkDecoderFuzzTestInputs} and in a short fuzzing run (see the
 * rtmp-codec pom); a long run: {@code JAZZER_FUZZ=1 mvn -pl rtmp-codec -am test
 * -Dtest=ChunkDecoderFuzzTest -Djazzer.max_duration=30m -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ChunkDecoderFuzzTest {

    private static final ChunkLimits LIMITS = new ChunkLimits(64 * 1024, 256 * 1024, 16);
    private static final AmfLimits AMF_LIMITS = new AmfLimits(16, 4096, 1024, 1024);

    @FuzzTest(maxDuration = "20s")
    void chunkReaderAcceptsOrRejectsCleanly(FuzzedDataProvider data) {
        ChunkReader reader = new ChunkReader(LIMITS);
        List<Object> out = new ArrayList<>();
        ByteBuf in = UnpooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            while (data.remainingBytes() > 0 && !reader.failed()) {
                int n = data.consumeInt(1, 64);
                in.writeBytes(data.consumeBytes(n));
                try {
                    reader.read(in, UnpooledByteBufAllocator.DEFAULT, out);
                } catch (RtmpCodecException expected) {
                    // a clean rejection is a fine outcome
                }
                in.discardReadBytes();
                decodeAndRelease(out);
                if (reader.partialBytes() > LIMITS.maxPartialBytes()) {
                    throw new AssertionError("partial bytes above the limit: " + reader.partialBytes());
                }
            }
        } finally {
            reader.release();
            in.release();
            out.forEach(ReferenceCountUtil::release);
        }
    }

    private static void decodeAndRelease(List<Object> out) {
        for (Object o : out) {
            RawMessage raw = (RawMessage) o;
            try {
                RtmpMessage m = Messages.decode(raw, AMF_LIMITS);
                ReferenceCountUtil.release(m);
            } catch (RtmpCodecException expected) {
                // malformed payload for its type
            } finally {
                raw.release();
            }
        }
        out.clear();
    }
}
