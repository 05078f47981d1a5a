package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.Locale;

/**
 * One counter per constant of a domain enum, all of one meter, told apart by one tag whose value
 * is the constant's lower-case name. Resolved once, indexed by ordinal: no lookup on the hot path.
 *
 * @param <E> the domain's enum (a role, a close reason, a refusal reason...)
 */
public final class EnumCounters<E extends Enum<E>> {

    private final Counter[] counters;

    EnumCounters(Counter[] counters) {
        this.counters = counters;
    }

    /** The tag value of {@code constant}: {@code TOO_SLOW} is {@code too_slow}. */
    public static String tagValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    public void increment(E value) {
        counters[value.ordinal()].increment();
    }

    public void increment(E value, double amount) {
        counters[value.ordinal()].increment(amount);
    }

    /** The counter of {@code value}, to keep and increment directly. */
    public Counter of(E value) {
        return counters[value.ordinal()];
    }

    /** What was counted for {@code value} so far. */
    public double count(E value) {
        return counters[value.ordinal()].count();
    }
}
