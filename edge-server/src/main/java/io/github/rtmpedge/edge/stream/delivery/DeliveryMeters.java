package io.github.rtmpedge.edge.stream.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.core.instrument.noop.NoopTimer;

/**
 * The meters one subscriber moves: frames sent, frames dropped because it fell behind, the
 * disconnect when it makes no progress at all, and the time from its start to its first video
 * keyframe written. Shared by every subscriber of one kind.
 */
public record DeliveryMeters(Counter sent, Counter dropped, Counter tooSlow, Timer firstKeyframe) {

    /** For subscribers whose first keyframe nobody times (an upstream push). */
    public static final Timer NO_TIMER =
            new NoopTimer(new Meter.Id("first_keyframe", Tags.empty(), null, null, Meter.Type.TIMER));

    /** Counts nothing (tests that do not look at meters). */
    public static final DeliveryMeters NONE =
            new DeliveryMeters(noop("sent"), noop("dropped"), noop("too_slow"), NO_TIMER);

    private static Counter noop(String name) {
        return new NoopCounter(new Meter.Id(name, Tags.empty(), null, null, Meter.Type.COUNTER));
    }
}
