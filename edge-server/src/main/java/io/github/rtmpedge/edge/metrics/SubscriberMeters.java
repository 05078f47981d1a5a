package io.github.rtmpedge.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.noop.NoopCounter;

/**
 * The counters one subscriber (a player, or an upstream push) moves: messages sent, messages
 * dropped because it fell behind, and the disconnect when it makes no progress at all.
 */
public record SubscriberMeters(Counter sent, Counter dropped, Counter tooSlow) {

    /** Counts nothing (tests that do not look at meters). */
    public static final SubscriberMeters NONE = new SubscriberMeters(noop("sent"), noop("dropped"), noop("too_slow"));

    private static Counter noop(String name) {
        return new NoopCounter(new Meter.Id(name, io.micrometer.core.instrument.Tags.empty(), null, null, Meter.Type.COUNTER));
    }
}
