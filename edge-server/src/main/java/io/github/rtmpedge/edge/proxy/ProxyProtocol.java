package io.github.rtmpedge.edge.proxy;

import io.github.rtmpedge.config.ProxyProtocolConfig;
import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One listener's PROXY protocol settings, as of one configuration: who is trusted, how long a header
 * may take, and where refusals are counted. Immutable; a reload builds a new one for new connections.
 */
public final class ProxyProtocol {

    /** The name of the gate in a pipeline. */
    public static final String HANDLER = "proxy-protocol";

    private final ProxyProtocolConfig config;
    private final Duration timeout;
    private final EnumCounters<ProxyRejection> rejections;
    private final String listener;

    /**
     * @param timeout how long a trusted peer's connection may take to send its header
     * @param rejections rtmp_proxy_protocol_rejected_total of this listener's protocol
     * @param listener the listener's name for log lines ({@code RTMP}, {@code HTTP-FLV})
     */
    public ProxyProtocol(
            ProxyProtocolConfig config, Duration timeout, EnumCounters<ProxyRejection> rejections, String listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** rtmp_proxy_protocol_rejected_total of one listener, {@code protocol} its tag value ({@code rtmp}). */
    public static EnumCounters<ProxyRejection> rejections(EdgeMetrics metrics, String protocol) {
        return metrics.counters(
                EdgeMeters.PROXY_PROTOCOL_REJECTED,
                EdgeMeters.Tags.REASON,
                ProxyRejection.class,
                EdgeMeters.Tags.PROTOCOL,
                protocol);
    }

    /**
     * Builds a new connection's pipeline: at once with {@code rest} when the PROXY protocol is off;
     * otherwise the gate, which runs {@code rest} once it knows who the client is, so that no
     * session handler ever sees the connection under the balancer's address. {@code limit} is the
     * listener's connection limit, which a connection held at the gate counts against; the first
     * handler {@code rest} adds must take no second slot for it ({@link ConnectionLimit#handedOn}).
     */
    public void install(Channel channel, ConnectionLimit limit, Consumer<ChannelPipeline> rest) {
        if (!config.enabled()) {
            rest.accept(channel.pipeline());
            return;
        }
        channel.pipeline().addLast(HANDLER, new ProxyProtocolHandler(this, limit, rest));
    }

    /** For the listener's start-up line: {@code "; PROXY protocol from [10.0.0.0/8]"}, or "" when off. */
    public String describe() {
        return config.enabled() ? "; PROXY protocol from " + config.trusted() : "";
    }

    boolean trusts(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            return address != null && config.trusts(address);
        }
        return false;
    }

    Duration timeout() {
        return timeout;
    }

    void rejected(ProxyRejection reason) {
        rejections.increment(reason);
    }

    String listener() {
        return listener;
    }
}
