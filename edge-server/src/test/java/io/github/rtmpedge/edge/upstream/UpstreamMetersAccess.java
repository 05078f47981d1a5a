package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.stream.Role;

/** Moves the upstream meters as the upstream connections do, for tests of the meters in other packages. */
public final class UpstreamMetersAccess {

    private UpstreamMetersAccess() {}

    public static void attempt(UpstreamMeters meters, Role role, String origin, boolean success) {
        meters.attempt(role, origin, success ? UpstreamMeters.Outcome.SUCCESS : UpstreamMeters.Outcome.FAILURE);
    }

    public static void reconnected(UpstreamMeters meters, Role role) {
        meters.reconnected(role);
    }

    public static void up(UpstreamMeters meters, Role role) {
        meters.up(role);
    }

    public static void down(UpstreamMeters meters, Role role) {
        meters.down(role);
    }
}
