package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Graceful quit (docs/architecture.md, "Graceful quit"): the waits around the drain, SRS's names and defaults
 * where SRS has the concept. All durations are {@code >= 0}.
 *
 * @param startWait after a graceful-quit signal, readiness fails at once and the listeners keep
 *     accepting this long so the load balancer can stop sending ({@code grace_start_wait}, SRS
 *     default 2300 ms)
 * @param finalWait wait after the drain, before the process stops ({@code grace_final_wait}, SRS
 *     default 3200 ms)
 * @param forceGraceQuit whether SIGTERM means graceful quit too; otherwise it means fast quit
 *     ({@code force_grace_quit}, SRS default off)
 * @param drainTimeout bound on the draining phase; {@link Duration#ZERO} = wait for every
 *     connection to leave, as SRS does ({@code drain_timeout})
 * @param drainSpread when {@code drainTimeout} expires, the remaining connections are closed spread
 *     over this window, Envoy-style; zero = all at once ({@code drain_spread})
 */
public record GraceConfig(
        Duration startWait, Duration finalWait, boolean forceGraceQuit, Duration drainTimeout, Duration drainSpread) {

    public GraceConfig {
        Objects.requireNonNull(startWait, "startWait");
        Objects.requireNonNull(finalWait, "finalWait");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(drainSpread, "drainSpread");
    }

    /** Whether the draining phase has a bound ({@code drain_timeout > 0}). */
    public boolean drainBounded() {
        return !drainTimeout.isZero();
    }
}
