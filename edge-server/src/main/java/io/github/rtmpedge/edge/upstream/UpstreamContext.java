package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.ClusterConfig;

/** What upstream connections share: configuration, origins and their health, backoff, connector. */
record UpstreamContext(
        ClusterConfig cluster,
        OriginPool pool,
        OriginHealth health,
        Backoff backoff,
        UpstreamConnector connector,
        int chunkSize,
        long queueLengthMillis,
        UpstreamMeters metrics) {}
