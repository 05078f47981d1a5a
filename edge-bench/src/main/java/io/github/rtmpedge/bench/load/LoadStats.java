package io.github.rtmpedge.bench.load;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters every connection of one run adds to, from any event loop. */
final class LoadStats {
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder mediaBytes = new LongAdder();
    final LongAdder sentMediaBytes = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder failedConnects = new LongAdder();
    final AtomicInteger publishersLive = new AtomicInteger();
    /** Connect start to first video keyframe, one sample per connection that got one. */
    final ConcurrentLinkedQueue<Long> firstKeyframeNanos = new ConcurrentLinkedQueue<>();
    /** When each reconnect was scheduled ({@link System#nanoTime()}). */
    final ConcurrentLinkedQueue<Long> reconnectNanos = new ConcurrentLinkedQueue<>();
}
