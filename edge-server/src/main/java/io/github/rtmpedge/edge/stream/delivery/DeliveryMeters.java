package io.github.rtmpedge.edge.stream.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;

/**
 * The counters one subscriber moves: frames sent, frames dropped because it fell behind, and the
 * disconnect when it makes no progress at all. Shared by every subscriber of one kind.
 */
public record DeliveryMeters(Counter sent, Counter dropped, Counter tooSlow) {

    /** Counts nothing (tests that do not look at meters). */
    public static final DeliveryMeters NONE = new DeliveryMeters(noop("sent"), noop("dropped"), noop("too_slow"));

    private static Counter noop(String name) {
        return new NoopCounter(new Meter.Id(name, Tags.empty(), null, null, Meter.Type.COUNTER));
    }
}
