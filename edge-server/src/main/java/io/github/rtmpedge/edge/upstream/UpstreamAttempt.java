package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.rtmp.message.PayloadMessage;
import io.netty.channel.Channel;

/**
 * One connection attempt of an {@link UpstreamConnection}: passes the client's events on while it
 * is the current attempt and drops them after, so a late event of a replaced or failed attempt
 * cannot touch the stream. Confined to the stream's event loop.
 */
final class UpstreamAttempt implements UpstreamClientHandler.Events {

    private final UpstreamConnection upstream;
    /** The origin answered TCP and the handshake: a failure from here on is not unreachability. */
    boolean handshook;

    UpstreamAttempt(UpstreamConnection upstream) {
        this.upstream = upstream;
    }

    @Override
    public void handshook() {
        handshook = true;
    }

    @Override
    public void started(Channel ch, int streamId) {
        if (!upstream.isCurrent(this) || upstream.stopped()) {
            ch.close();
            return;
        }
        upstream.started(ch, streamId);
    }

    @Override
    public void media(PayloadMessage message) {
        if (upstream.isCurrent(this)) {
            upstream.media(message);
        }
    }

    @Override
    public void failed(String reason) {
        if (upstream.isCurrent(this)) {
            upstream.currentFailed(reason, handshook);
        }
    }

    @Override
    public void pong() {
        if (upstream.isCurrent(this)) {
            upstream.pong();
        }
    }

    @Override
    public void writabilityChanged() {
        if (upstream.isCurrent(this)) {
            upstream.writabilityChanged();
        }
    }
}
