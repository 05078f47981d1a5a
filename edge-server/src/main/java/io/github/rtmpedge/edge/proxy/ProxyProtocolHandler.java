package io.github.rtmpedge.edge.proxy;

import io.github.rtmpedge.config.ConfigKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate in front of a listener's pipeline when the PROXY protocol is on. A trusted peer's
 * connection is held back (no channelActive, no bytes) until the v1 or v2 header it must begin with
 * names the client (Netty's decoder reads it); it takes one of the listener's connection slots from
 * the start, so held connections count against the limit, and the header has one timeout to come.
 * Then the gate builds the rest of the pipeline, hands it the connection, its slot and what was
 * read, and leaves. Any other peer is its own client, known at once: the rest is built and active
 * from the start (its slot, its open line, its session's timers as without the gate), and the gate
 * only looks at the first bytes before they pass, to refuse a PROXY header, then leaves.
 */
final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    /** How a v1 header begins (text). */
    private static final byte[] V1 = "PROXY".getBytes(StandardCharsets.US_ASCII);
    /** How a v2 header begins (binary signature). */
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static final String DECODER = "proxy-protocol-decoder";
    /** Marks a connection whose slot the gate took and handed on (see {@link ConnectionLimit#handedOn}). */
    static final AttributeKey<Boolean> SLOT_HANDED_ON = AttributeKey.valueOf("rtmp-edge.connection-slot-handed-on");
    /** Room for the TLVs balancers add to a v2 header (AWS: a VPC endpoint id); more is malformed. */
    private static final int MAX_TLV_BYTES = 4096;

    private enum State {
        /** Waiting for the first bytes (a trusted peer's held, a direct client's passed on once not a header). */
        SNIFFING,
        /** A trusted peer's header is being read by the decoder. */
        DECODING,
        /** Passed on, refused or refused at the connection limit. */
        DONE
    }

    private enum Start {
        NEED_MORE,
        NOT_PROXY,
        PROXY
    }

    private final ProxyProtocol settings;
    private final ConnectionLimit limit;
    private final Consumer<ChannelPipeline> rest;
    private State state = State.SNIFFING;
    private boolean trusted;
    /** A trusted peer's connection holds a slot of the listener's limit that is not handed on yet. */
    private boolean holdingSlot;
    /** The rest of the pipeline exists (events past the gate have somewhere to go). */
    private boolean built;
    /** What was read while sniffing; at most a signature's length unless it came in one read. */
    private ByteBuf first;

    private ScheduledFuture<?> timer;

    ProxyProtocolHandler(ProxyProtocol settings, ConnectionLimit limit, Consumer<ChannelPipeline> rest) {
        this.settings = settings;
        this.limit = limit;
        this.rest = rest;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        trusted = settings.trusts(ctx.channel());
        if (!trusted) {
            // A direct client is known now: its own handlers take it (and its slot) at once.
            build(ctx);
            ctx.fireChannelActive();
            if (!ctx.channel().isActive()) {
                state = State.DONE; // refused at the connection limit
                ctx.pipeline().remove(this);
            }
            return;
        }
        if (!limit.tryOpen(ctx.channel())) {
            state = State.DONE; // refused (logged and counted) at the listener's limit, as without the gate
            ctx.close();
            return;
        }
        holdingSlot = true;
        timer = ctx.executor().schedule(() -> expired(ctx), settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        // channelActive travels on only once the header named the client (pass).
    }

    private void build(ChannelHandlerContext ctx) {
        rest.accept(ctx.pipeline());
        built = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                accept(ctx, header);
            } finally {
                header.release();
            }
            return;
        }
        if (state == State.DONE) {
            ReferenceCountUtil.release(msg); // refused: the connection is closing
            return;
        }
        if (state != State.SNIFFING || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        first = first == null ? bytes : merge(ctx, first, bytes);
        switch (start(first)) {
            case NEED_MORE -> {}
            case NOT_PROXY -> {
                if (trusted) {
                    reject(
                            ctx,
                            ProxyRejection.MISSING,
                            "a trusted load balancer's connection began with "
                                    + ByteBufUtil.hexDump(
                                            first, first.readerIndex(), Math.min(8, first.readableBytes()))
                                    + ", not a PROXY header");
                } else {
                    passBytes(ctx);
                }
            }
            case PROXY -> {
                if (trusted) {
                    decode(ctx);
                } else {
                    reject(
                            ctx,
                            ProxyRejection.UNTRUSTED,
                            "a PROXY header from an address not in " + ConfigKey.PROXY_PROTOCOL_TRUSTED.path());
                }
            }
        }
    }

    private static ByteBuf merge(ChannelHandlerContext ctx, ByteBuf held, ByteBuf more) {
        try {
            return ctx.alloc()
                    .buffer(held.readableBytes() + more.readableBytes())
                    .writeBytes(held)
                    .writeBytes(more);
        } finally {
            held.release();
            more.release();
        }
    }

    /** Whether {@code bytes} begin with a PROXY signature; decided at the first byte that differs from both. */
    private static Start start(ByteBuf bytes) {
        boolean v1 = prefixMatches(bytes, V1);
        boolean v2 = prefixMatches(bytes, V2);
        if ((v1 && bytes.readableBytes() >= V1.length) || (v2 && bytes.readableBytes() >= V2.length)) {
            return Start.PROXY;
        }
        return v1 || v2 ? Start.NEED_MORE : Start.NOT_PROXY;
    }

    private static boolean prefixMatches(ByteBuf bytes, byte[] signature) {
        int n = Math.min(bytes.readableBytes(), signature.length);
        for (int i = 0; i < n; i++) {
            if (bytes.getByte(bytes.readerIndex() + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** A trusted peer's header: Netty's decoder reads it, in front of us, from what was read so far on. */
    private void decode(ChannelHandlerContext ctx) {
        state = State.DECODING;
        HAProxyMessageDecoder decoder = new HAProxyMessageDecoder(MAX_TLV_BYTES);
        ctx.pipeline().addBefore(ctx.name(), DECODER, decoder);
        ByteBuf bytes = first;
        first = null;
        try {
            // Called directly: the decoder is in front of us, so a pipeline event from here would miss it.
            decoder.channelRead(ctx.pipeline().context(DECODER), bytes);
        } catch (Exception e) {
            malformed(ctx, e);
        }
    }

    private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
        if (state != State.DECODING) {
            return;
        }
        InetSocketAddress client = client(header);
        if (client != null) {
            ClientAddress.set(ctx.channel(), client);
        }
        if (log.isDebugEnabled()) {
            log.debug(
                    "{} listener: {} is {} ({} header, {} {})",
                    settings.listener(),
                    ClientAddress.describe(ctx.channel().remoteAddress()),
                    client == null ? "itself" : ClientAddress.describe(client),
                    header.protocolVersion(),
                    header.command(),
                    header.proxiedProtocol());
        }
        pass(ctx);
    }

    /**
     * The client a header names; null for the balancer's own connections (v2 LOCAL, v1 UNKNOWN, or
     * a family without an IP address), which keep the connection's address.
     */
    private static InetSocketAddress client(HAProxyMessage header) {
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (header.command() != HAProxyCommand.PROXY
                || header.sourceAddress() == null
                || (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                        && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6)) {
            return null;
        }
        // A literal, so no name look-up; the decoder has checked it.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    /** A direct client's first bytes are not a header: they go on, and the gate leaves. */
    private void passBytes(ChannelHandlerContext ctx) {
        state = State.DONE;
        ByteBuf bytes = first;
        first = null;
        ctx.fireChannelRead(bytes);
        ctx.pipeline().remove(this);
    }

    /** The header named the client: the listener's own handlers take the connection, its slot and what was read. */
    private void pass(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelTimer();
        ByteBuf bytes = first;
        first = null;
        holdingSlot = false;
        ctx.channel().attr(SLOT_HANDED_ON).set(Boolean.TRUE);
        build(ctx);
        ctx.fireChannelActive();
        if (bytes != null) {
            if (ctx.channel().isActive()) {
                ctx.fireChannelRead(bytes);
            } else {
                bytes.release(); // closed at once by the listener's handlers
            }
        }
        ctx.pipeline().remove(this);
    }

    private void reject(ChannelHandlerContext ctx, ProxyRejection reason, String why) {
        state = State.DONE;
        cancelTimer();
        ReferenceCountUtil.release(first);
        first = null;
        settings.rejected(reason);
        log.warn(
                "{} listener: refused {}: {}",
                settings.listener(),
                ClientAddress.describe(ctx.channel().remoteAddress()),
                why);
        ctx.close();
    }

    private void malformed(ChannelHandlerContext ctx, Throwable cause) {
        Throwable e = cause.getCause() != null ? cause.getCause() : cause;
        reject(
                ctx,
                ProxyRejection.MALFORMED,
                "a malformed PROXY header from a trusted load balancer: " + e.getMessage());
    }

    /** Only a trusted peer's connection has the timer: a direct client's own handlers time it. */
    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (state == State.DONE || !ctx.channel().isActive()) {
            return;
        }
        reject(
                ctx,
                ProxyRejection.TIMEOUT,
                "no PROXY header from a trusted load balancer within "
                        + settings.timeout().toMillis() + " ms");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (built) {
            ctx.fireExceptionCaught(cause);
        } else if (state == State.DECODING) {
            malformed(ctx, cause);
        } else {
            log.debug(
                    "{} listener: {} failed before it said anything: {}",
                    settings.listener(),
                    ClientAddress.describe(ctx.channel().remoteAddress()),
                    cause.toString());
            state = State.DONE;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelTimer();
        if (holdingSlot) {
            // Closed while held (a balancer's health check connects and closes, or refused): the slot goes back.
            holdingSlot = false;
            limit.closed();
        }
        if (built) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        ReferenceCountUtil.release(first);
        first = null;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
