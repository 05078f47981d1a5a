package io.github.rtmpedge.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bytes processed, reported by JMH next to each benchmark as a secondary result. As an
 * {@link AuxCounters.Type#OPERATIONS} counter it is divided by the iteration's time, so with
 * {@code @OutputTimeUnit(SECONDS)} the row {@code <benchmark>:megabytes} reads in MB/s
 * (10^6 bytes a second) although JMH labels its unit "ops/s".
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {

    /** Megabytes (10^6 bytes) processed in this iteration. */
    public double megabytes;

    @Setup(Level.Iteration)
    public void reset() {
        megabytes = 0;
    }

    void add(long bytes) {
        megabytes += bytes / 1e6;
    }
}
