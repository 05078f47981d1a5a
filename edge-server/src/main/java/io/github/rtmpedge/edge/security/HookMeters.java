package io.github.rtmpedge.edge.security;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;

/**
 * How long the HTTP hooks took to decide, by action and result; every combination registered at
 * once so each series exists from the first scrape. Thread-safe (hooks complete on HTTP client
 * threads).
 */
public final class HookMeters {

    /** How a hook decision ended, as the {@code result} tag. */
    public enum Result {
        ALLOWED,
        DENIED,
        ERROR,
        TIMEOUT;

        static Result of(Verdict verdict, Throwable failure) {
            if (failure != null) {
                return ERROR;
            }
            if (verdict.allowed()) {
                return ALLOWED; // with hook_fail_open, a failed hook lands here too: it let the client in
            }
            return switch (verdict.reason()) {
                case HOOK_TIMEOUT -> TIMEOUT;
                case HOOK_ERROR -> ERROR;
                default -> DENIED;
            };
        }
    }

    /** Times nothing (gatekeepers of tests and of {@link Gatekeeper#OPEN}). */
    public static final HookMeters NONE = new HookMeters(null);

    private final EnumMap<AuthAction, EnumMap<Result, Timer>> timers = new EnumMap<>(AuthAction.class);

    public HookMeters(EdgeMetrics metrics) {
        if (metrics == null) {
            return;
        }
        for (AuthAction action : AuthAction.values()) {
            EnumMap<Result, Timer> byResult = new EnumMap<>(Result.class);
            for (Result result : Result.values()) {
                byResult.put(
                        result,
                        metrics.timer(
                                EdgeMeters.HOOK_DURATION,
                                EdgeMeters.Tags.ACTION,
                                action.tag(),
                                EdgeMeters.Tags.RESULT,
                                EnumCounters.tagValue(result)));
            }
            timers.put(action, byResult);
        }
    }

    /** A decision of {@code action} that began at {@code startedNanos} (System.nanoTime) ended. */
    void record(AuthAction action, Verdict verdict, Throwable failure, long startedNanos) {
        EnumMap<Result, Timer> byResult = timers.get(action);
        if (byResult != null) {
            byResult.get(Result.of(verdict, failure)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }
    }
}
