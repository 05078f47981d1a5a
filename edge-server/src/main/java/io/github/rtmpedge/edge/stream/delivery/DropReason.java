package io.github.rtmpedge.edge.stream.delivery;

/** Why frames were dropped instead of sent: who fell behind. */
public enum DropReason {
    SLOW_PLAYER,
    SLOW_UPSTREAM_PUSH
}
