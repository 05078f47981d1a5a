package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.PublishForwarder;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.rtmp.amf.AmfLimits;

/**
 * What an RTMP session works with beyond its own connection: the streams, the publish edge's
 * forwarder (null on a standalone origin), the AMF limits, the security rules, the meters and the
 * connection counts. Shared by the sessions accepted under one configuration.
 */
public record SessionServices(
        StreamRegistry streams,
        PublishForwarder forwarder,
        AmfLimits amfLimits,
        Gatekeeper gatekeeper,
        SessionMeters meters,
        ConnectionTracker tracker) {}
