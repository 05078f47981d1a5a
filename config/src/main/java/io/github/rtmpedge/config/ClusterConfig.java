package io.github.rtmpedge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code cluster} section: whether this server is an origin ({@link Mode#LOCAL}) or an edge
 * ({@link Mode#REMOTE}) and how an edge talks to its origins. Durations of zero mean "off" where
 * {@code reference.conf} says so.
 */
public record ClusterConfig(
        Mode mode,
        List<OriginAddress> origins,
        OriginSelection originSelection,
        Duration connectTimeout,
        Duration playTimeout,
        RetryConfig retry,
        Duration idleClose,
        long publishReplayMaxBytes,
        Duration upstreamLostTimeout,
        Duration stallTimeout,
        Duration probeInterval,
        int parallelAsks) {

    /** SRS's {@code cluster.mode}. */
    public enum Mode {
        /** An origin: streams are published here. */
        LOCAL,
        /** An edge: streams come from, and go to, an origin. */
        REMOTE
    }

    /** How an edge picks the origin for a stream. */
    public enum OriginSelection {
        /** Each new upstream goes to the next origin in turn. */
        ROUND_ROBIN,
        /** A stream name always maps to the same origin while it is up. */
        CONSISTENT_HASH
    }

    public ClusterConfig {
        Objects.requireNonNull(mode, "mode");
        origins = List.copyOf(origins);
        Objects.requireNonNull(originSelection, "originSelection");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(playTimeout, "playTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(idleClose, "idleClose");
        Objects.requireNonNull(upstreamLostTimeout, "upstreamLostTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (parallelAsks < 1) {
            throw new IllegalArgumentException("parallelAsks < 1: " + parallelAsks);
        }
    }
}
