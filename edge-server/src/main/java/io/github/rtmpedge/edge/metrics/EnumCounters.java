package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.EnumMap;
import java.util.Locale;

/**
 * One counter per constant of a domain enum, all of one meter, told apart by one tag whose value
 * is the constant's lower-case name. Resolved once: an increment is an EnumMap lookup (an array index).
 *
 * @param <E> the domain's enum (a role, a close reason, a refusal reason...)
 */
public final class EnumCounters<E extends Enum<E>> {

    private final EnumMap<E, Counter> counters;

    EnumCounters(EnumMap<E, Counter> counters) {
        this.counters = counters;
    }

    /** The tag value of {@code constant}: {@code TOO_SLOW} is {@code too_slow}. */
    public static String tagValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    public void increment(E value) {
        counters.get(value).increment();
    }

    public void increment(E value, double amount) {
        counters.get(value).increment(amount);
    }

    /** The counter of {@code value}, to keep and increment directly. */
    public Counter of(E value) {
        return counters.get(value);
    }

    /** What was counted for {@code value} so far. */
    public double count(E value) {
        return counters.get(value).count();
    }
}
