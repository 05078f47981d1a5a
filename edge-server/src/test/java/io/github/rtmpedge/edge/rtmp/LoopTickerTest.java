package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One timer per loop runs every check added to it once a second, and goes with the last check. */
class LoopTickerTest {

    @Test
    void everyCheckOfALoopRunsOnceASecondAndTheTickerEndsWithTheLastCheck() {
        EmbeddedChannel channel = new EmbeddedChannel();
        EventLoop loop = channel.eventLoop();
        int before = LoopTicker.active();
        List<String> ran = new ArrayList<>();
        Runnable a = () -> ran.add("a");
        Runnable[] b = new Runnable[1];
        b[0] = () -> {
            ran.add("b");
            LoopTicker.remove(loop, b[0]); // a check may end itself while the ticker runs
        };
        LoopTicker.add(loop, a);
        LoopTicker.add(loop, b[0]);
        assertEquals(before + 1, LoopTicker.active(), "one ticker for the loop");

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertEquals(List.of("a", "b", "a"), ran);
        LoopTicker.remove(loop, a);
        assertEquals(before, LoopTicker.active(), "gone with its last check");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(3, ran.size(), "its timer is cancelled");
        channel.finishAndReleaseAll();
    }
}
