package io.github.rtmpedge.edge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {

    @Test
    void choosesThePooledAllocatorWhenTheUserChoseNone() {
        Properties p = new Properties();
        NettyDefaults.apply(p);
        assertEquals("pooled", p.getProperty("io.netty.allocator.type"));
    }

    @Test
    void keepsTheAllocatorTheUserChose() {
        Properties p = new Properties();
        p.setProperty("io.netty.allocator.type", "adaptive");
        NettyDefaults.apply(p);
        assertEquals("adaptive", p.getProperty("io.netty.allocator.type"));
    }
}
