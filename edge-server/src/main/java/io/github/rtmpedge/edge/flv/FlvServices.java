package io.github.rtmpedge.edge.flv;

import io.github.rtmpedge.config.FlvMount;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.security.RefusalMeters;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.stream.TrafficMeters;

/**
 * What an HTTP-FLV session works with, shared by the connections accepted under one
 * configuration.
 *
 * @param streams the live streams
 * @param gatekeeper the security rules (CIDR lists, tokens, hooks) in force for new connections
 * @param standalone no origin: a stream without a publisher is unknown (404); on an edge a play starts the pull
 * @param mount where streams are served
 * @param flv whether streams are served at all (http_server.flv.enabled)
 * @param crossDomain whether answers carry CORS headers
 * @param queueLengthMillis a player's backlog bound in media time (queue_length)
 * @param queueMaxBytes a player's backlog bound in bytes (queue_max_bytes)
 * @param traffic the HTTP-FLV traffic counters
 * @param refusals refusals by the security rules
 * @param closes closes by reason, protocol http_flv
 * @param tracker players by role
 */
record FlvServices(
        StreamRegistry streams,
        Gatekeeper gatekeeper,
        boolean standalone,
        FlvMount mount,
        boolean flv,
        boolean crossDomain,
        long queueLengthMillis,
        long queueMaxBytes,
        TrafficMeters traffic,
        RefusalMeters refusals,
        EnumCounters<CloseReason> closes,
        ConnectionTracker tracker) {}
