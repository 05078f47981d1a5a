package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.github.rtmpedge.edge.security.RefusalMeters;
import io.github.rtmpedge.edge.session.CloseReason;
import io.github.rtmpedge.edge.stream.Protocol;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.rtmp.handshake.HandshakeException;

/**
 * What RTMP client sessions count: their traffic by role, refusals by the security rules,
 * handshake failures, decoder errors, protocol violations and closes by reason. Made once per
 * server, shared by every session; thread-safe.
 */
public record SessionMeters(
        TrafficMeters traffic,
        RefusalMeters refusals,
        EnumCounters<HandshakeException.Kind> handshakeFailures,
        EnumCounters<DecoderError> decoderErrors,
        EnumCounters<Violation> violations,
        EnumCounters<CloseReason> closes) {

    public SessionMeters(EdgeMetrics metrics) {
        this(
                new TrafficMeters(metrics),
                new RefusalMeters(metrics),
                metrics.counters(EdgeMeters.HANDSHAKE_FAILURES, EdgeMeters.Tags.KIND, HandshakeException.Kind.class),
                metrics.counters(EdgeMeters.DECODER_ERRORS, EdgeMeters.Tags.KIND, DecoderError.class),
                metrics.counters(EdgeMeters.PROTOCOL_VIOLATIONS, EdgeMeters.Tags.KIND, Violation.class),
                metrics.counters(
                        EdgeMeters.CONNECTIONS_CLOSED,
                        EdgeMeters.Tags.REASON,
                        CloseReason.class,
                        EdgeMeters.Tags.PROTOCOL,
                        EnumCounters.tagValue(Protocol.RTMP)));
    }
}
