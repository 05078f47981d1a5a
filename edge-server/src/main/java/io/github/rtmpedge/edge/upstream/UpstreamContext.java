package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.config.ClusterConfig;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;

/** What upstream connections share: configuration, origins, backoff, connector. */
record UpstreamContext(ClusterConfig cluster, OriginPool pool, Backoff backoff, UpstreamConnector connector,
                       int chunkSize, long queueLengthMillis, EdgeMetrics metrics) {
}
