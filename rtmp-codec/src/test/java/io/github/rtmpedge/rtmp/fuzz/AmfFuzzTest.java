package io.github.rtmpedge.rtmp.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.Amf0Reader;
import io.github.rtmpedge.rtmp.amf.Amf3Reader;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Coverage-guided fuzzing of the AMF0 and AMF3 readers: only the codec's own exceptions may escape;
 * no OutOfMemoryError, no StackOverflowError, no hang.
 * A long run: {@code JAZZER_FUZZ=1 mvn -pl rtmp-codec -am test -Dtest=AmfFuzzTest
 * -Djazzer.max_duration=30m -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AmfFuzzTest {

    private static final AmfLimits LIMITS = new AmfLimits(32, 64 * 1024, 4096, 4096);

    @FuzzTest(maxDuration = "20s")
    void amfReadersAcceptOrRejectCleanly(FuzzedDataProvider data) {
        boolean amf3 = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            List<Object> values = amf3 ? Amf3Reader.readAll(in, LIMITS) : Amf0Reader.readAll(in, LIMITS);
            if (values.size() > bytes.length) {
                throw new AssertionError(values.size() + " values from " + bytes.length + " bytes");
            }
        } catch (RtmpCodecException expected) {
            // a clean rejection is a fine outcome
        }
    }
}
