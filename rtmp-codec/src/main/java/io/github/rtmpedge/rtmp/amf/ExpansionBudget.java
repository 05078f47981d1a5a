package io.github.rtmpedge.rtmp.amf;

import io.github.rtmpedge.rtmp.RtmpLimitExceededException;
import java.util.Arrays;

/**
 * Counts the values of one AMF body as a consumer will see them, with every reference expanded.
 *
 * <p>A reference makes an earlier object appear again without costing bytes, so a few hundred bytes
 * of nested references describe a value that is exponentially large once walked (written back,
 * compared, logged). Charging each reference the size of what it points at keeps everything a
 * reader returns within {@link AmfLimits#maxElements()} values.
 */
final class ExpansionBudget {

    private final long limit;
    private long used;
    /** Size of each referenceable value, by reference index; 0 while it is being read. */
    private long[] weights = new long[16];
    /** Value count at the start of each open complex value, innermost last. */
    private long[] starts = new long[16];

    private int open;

    ExpansionBudget(AmfLimits limits) {
        this.limit = limits.maxElements();
    }

    /** One value read from the wire. */
    void value() {
        charge(1);
    }

    /** A complex value with reference index {@code ref} starts. */
    void enter(int ref) {
        if (open == starts.length) {
            starts = Arrays.copyOf(starts, open * 2);
        }
        starts[open++] = used;
        if (ref >= weights.length) {
            weights = Arrays.copyOf(weights, Math.max(ref + 1, weights.length * 2));
        }
        weights[ref] = 0;
    }

    /** The complex value with reference index {@code ref} is complete. */
    void leave(int ref) {
        long start = starts[--open];
        weights[ref] = Math.max(1, used - start + 1);
    }

    /** A reference to the complete value {@code ref}: it costs what that value costs. */
    void reference(int ref) {
        charge(ref < weights.length ? Math.max(1, weights[ref]) : 1); // leaf values (date, XML) weigh 1
    }

    private void charge(long n) {
        used += n;
        if (used > limit) {
            throw new RtmpLimitExceededException(AmfLimits.MAX_ELEMENTS, limit, used);
        }
    }
}
