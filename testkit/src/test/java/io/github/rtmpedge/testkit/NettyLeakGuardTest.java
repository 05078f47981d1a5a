package io.github.rtmpedge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyLeakGuardTest {

    @Test
    void runsAtParanoidLevel() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }

    @Test
    void anUnreleasedBufferIsReported() {
        leakOne();
        List<String> leaks = NettyLeakGuard.drain();
        assertTrue(
                leaks.stream().anyMatch(l -> l.startsWith("LEAK: ByteBuf.release() was not called")), leaks::toString);
    }

    @Test
    void releasedBuffersReportNothing() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(42);
        buf.release();
        assertEquals(List.of(), NettyLeakGuard.drain());
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(7); // never released: the guard must see it once it is collected
    }
}
