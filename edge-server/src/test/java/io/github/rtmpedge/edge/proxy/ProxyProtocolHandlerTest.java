package io.github.rtmpedge.edge.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.CidrBlock;
import io.github.rtmpedge.config.ProxyProtocolConfig;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.metrics.EnumCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol gate on golden bytes: v1 and v2 headers (TCP4, TCP6, LOCAL) from a trusted
 * balancer name the client; malformed, missing and late headers from it, and any header from
 * another peer, close the connection and are counted; a direct client passes untouched. A held
 * connection takes a slot of the listener's limit, handed on with it or given back when it closes.
 */
class ProxyProtocolHandlerTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress("127.0.0.2", 40001);
    private static final InetSocketAddress DIRECT = new InetSocketAddress("127.0.0.1", 40002);
    /** RTMP's C0 and the start of C1: what a client sends first. */
    private static final byte[] RTMP_START = {0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

    /** "PROXY TCP4 203.0.113.7 10.0.0.1 50312 1935\r\n" */
    private static final String V1_TCP4 = "PROXY TCP4 203.0.113.7 10.0.0.1 50312 1935\r\n";

    private static final String V1_TCP6 = "PROXY TCP6 2001:db8::7 2001:db8::1 50313 1935\r\n";
    /** v2 signature, version 2 / PROXY, TCP over IPv4, 12 address bytes: 198.51.100.9:40000 -> 10.0.0.1:1935. */
    private static final String V2_TCP4 =
            "0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c6336409" + "0a000001" + "9c40" + "078f";
    /** v2, PROXY, TCP over IPv6, 36 address bytes: [2001:db8::9]:40001 -> [2001:db8::1]:1935. */
    private static final String V2_TCP6 = "0d0a0d0a000d0a515549540a" + "21" + "21" + "0024"
            + "20010db8000000000000000000000009" + "20010db8000000000000000000000001" + "9c41" + "078f";
    /** v2, LOCAL (the balancer's own connection, a health check), no addresses. */
    private static final String V2_LOCAL = "0d0a0d0a000d0a515549540a" + "20" + "00" + "0000";

    private final EdgeMetrics metrics = EdgeMetrics.unscraped();
    private final EnumCounters<ProxyRejection> rejections = ProxyProtocol.rejections(metrics, "rtmp");
    private final ProxyProtocol trustingBalancer = new ProxyProtocol(
            new ProxyProtocolConfig(true, List.of(CidrBlock.parse("127.0.0.2/32"))),
            Duration.ofSeconds(5),
            rejections,
            "RTMP");
    private Peer channel;
    /** The listener's limit, 2 slots. */
    private final Slots slots = new Slots(2);

    private final Session session = new Session(slots);

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        assertEquals(0, slots.open, "every slot given back");
        metrics.close();
    }

    /** An embedded connection from {@code peer}, built the way a listener builds one. */
    private Peer connect(ProxyProtocol proxy, InetSocketAddress peer) throws Exception {
        channel = new Peer(peer);
        proxy.install(channel, slots, p -> p.addLast(session));
        channel.register();
        return channel;
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static ByteBuf rtmpStart() {
        return Unpooled.wrappedBuffer(RTMP_START);
    }

    private void assertPassed(String client) {
        assertEquals(1, session.actives, "the session saw the connection open once");
        assertEquals(client, session.clientAtActive, "the client the session saw at once");
        assertArrayEquals(RTMP_START, session.bytes(), "the client's bytes after the header, untouched");
        assertNull(channel.pipeline().get(ProxyProtocol.HANDLER), "the gate left");
        assertNull(channel.pipeline().get(ProxyProtocolHandler.DECODER), "the decoder left");
        assertTrue(channel.isActive());
        for (ProxyRejection reason : ProxyRejection.values()) {
            assertEquals(0, rejections.count(reason), reason.toString());
        }
    }

    private void assertRefused(ProxyRejection reason) {
        assertRefused(reason, 0);
    }

    /** A direct client is known at once: its handlers see it open ({@code actives} 1), never its bytes. */
    private void assertRefused(ProxyRejection reason, int actives) {
        assertFalse(channel.isActive(), "closed");
        assertEquals(actives, session.actives, "sessions that saw the connection");
        assertEquals(actives, session.inactives, "and saw it close");
        assertEquals(0, session.bytes().length);
        assertEquals(1, rejections.count(reason), "counted as " + reason);
        for (ProxyRejection other : ProxyRejection.values()) {
            if (other != reason) {
                assertEquals(0, rejections.count(other), other.toString());
            }
        }
    }

    @Test
    void v1Tcp4NamesTheClient() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(text(V1_TCP4), rtmpStart()));
        assertPassed("203.0.113.7:50312");
        assertTrue(ClientAddress.proxied(channel));
        assertEquals("203.0.113.7", ClientAddress.ip(channel).getHostAddress());
    }

    @Test
    void v1Tcp6NamesTheClient() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(text(V1_TCP6), rtmpStart()));
        assertPassed("[2001:db8:0:0:0:0:0:7]:50313");
    }

    @Test
    void v2Tcp4NamesTheClient() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(hex(V2_TCP4), rtmpStart()));
        assertPassed("198.51.100.9:40000");
    }

    @Test
    void v2Tcp6NamesTheClient() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(hex(V2_TCP6), rtmpStart()));
        assertPassed("[2001:db8:0:0:0:0:0:9]:40001");
    }

    @Test
    void v2LocalKeepsTheBalancersAddress() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(hex(V2_LOCAL), rtmpStart()));
        assertPassed("127.0.0.2:40001");
        assertFalse(ClientAddress.proxied(channel));
    }

    @Test
    void v1UnknownKeepsTheBalancersAddress() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(text("PROXY UNKNOWN\r\n"), rtmpStart()));
        assertPassed("127.0.0.2:40001");
    }

    @Test
    void aHeaderInPiecesIsReadWhole() throws Exception {
        connect(trustingBalancer, BALANCER);
        for (byte b : HexFormat.of().parseHex(V2_TCP4)) {
            assertEquals(0, session.actives, "not before the header is whole");
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(1, session.actives, "at once when it is");
        channel.writeInbound(rtmpStart());
        assertPassed("198.51.100.9:40000");
    }

    @Test
    void aMalformedV1HeaderIsRefused() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(text("PROXY TCP4 999.0.113.7 10.0.0.1 50312 1935\r\n"));
        assertRefused(ProxyRejection.MALFORMED);
    }

    @Test
    void aV1HeaderWithoutItsEndIsRefused() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(text("PROXY TCP4 203.0.113.7 10.0.0.1 50312 1935" + "x".repeat(200)));
        assertRefused(ProxyRejection.MALFORMED);
    }

    @Test
    void aMalformedV2HeaderIsRefused() throws Exception {
        connect(trustingBalancer, BALANCER);
        // Version 3 in the high nibble: there is none.
        channel.writeInbound(hex(V2_TCP4.replace("0a" + "21" + "11", "0a" + "31" + "11")));
        assertRefused(ProxyRejection.MALFORMED);
    }

    @Test
    void aTrustedPeerWithoutAHeaderIsRefused() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(rtmpStart());
        assertRefused(ProxyRejection.MISSING);
    }

    @Test
    void aTrustedPeerThatSendsNothingIsRefusedInTime() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isActive(), "not before the timeout");
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertRefused(ProxyRejection.TIMEOUT);
    }

    @Test
    void aHalfHeaderIsRefusedInTime() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(text("PROXY TCP4 203.0.113.7 "));
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertRefused(ProxyRejection.TIMEOUT);
    }

    @Test
    void aV1HeaderFromAnUntrustedPeerIsRefused() throws Exception {
        connect(trustingBalancer, DIRECT);
        channel.writeInbound(Unpooled.wrappedBuffer(text(V1_TCP4), rtmpStart()));
        assertRefused(ProxyRejection.UNTRUSTED, 1);
    }

    @Test
    void aV2HeaderFromAnUntrustedPeerIsRefused() throws Exception {
        connect(trustingBalancer, DIRECT);
        channel.writeInbound(hex(V2_TCP4));
        assertRefused(ProxyRejection.UNTRUSTED, 1);
    }

    @Test
    void aDirectRtmpClientPassesUntouched() throws Exception {
        connect(trustingBalancer, DIRECT);
        channel.writeInbound(rtmpStart());
        assertPassed("127.0.0.1:40002");
        assertFalse(ClientAddress.proxied(channel));
    }

    @Test
    void aDirectHttpClientWhoseMethodStartsLikeProxyPasses() throws Exception {
        connect(trustingBalancer, DIRECT);
        channel.writeInbound(text("P"));
        assertEquals(0, session.bytes().length, "one byte cannot tell");
        channel.writeInbound(text("UT /live/s.flv HTTP/1.1\r\n"));
        assertEquals(1, session.actives);
        assertNull(channel.pipeline().get(ProxyProtocol.HANDLER), "the gate left");
        assertEquals("PUT /live/s.flv HTTP/1.1\r\n", new String(session.bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void aDirectClientIsHandedOnAtOnceWithNoTimerOfTheGate() throws Exception {
        connect(trustingBalancer, DIRECT);
        assertEquals(1, session.actives, "open at once: its own handlers (slot, timers) take it");
        assertEquals(1, slots.open, "it took its slot in its own first handler");
        assertEquals(0, slots.handedOn);
        assertEquals(-1, channel.runScheduledPendingTasks(), "nothing scheduled: one timeout in all, its session's");
        channel.close();
        assertEquals(1, session.inactives);
    }

    @Test
    void aHeldConnectionTakesASlotAndHandsItOn() throws Exception {
        connect(trustingBalancer, BALANCER);
        assertEquals(1, slots.open, "held at the gate, it counts");
        assertEquals(0, session.actives);
        channel.writeInbound(Unpooled.wrappedBuffer(text(V1_TCP4), rtmpStart()));
        assertPassed("203.0.113.7:50312");
        assertEquals(1, slots.open, "the same slot, handed on: no second one");
        assertEquals(1, slots.handedOn);
        channel.close();
        assertEquals(0, slots.open, "given back once, by the listener's handler");
    }

    @Test
    void aHeldConnectionGivesItsSlotBackWhenRefusedOrLate() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertRefused(ProxyRejection.TIMEOUT);
        assertEquals(0, slots.open);
        channel.finishAndReleaseAll();
        connect(trustingBalancer, BALANCER);
        channel.writeInbound(rtmpStart());
        assertEquals(0, slots.open, "refused for a missing header: given back");
    }

    @Test
    void atTheLimitATrustedPeersConnectionIsRefusedBeforeItsHeader() throws Exception {
        slots.open = 2; // the listener is full
        connect(trustingBalancer, BALANCER);
        assertFalse(channel.isActive(), "refused at once");
        assertEquals(1, slots.refused, "counted by the listener's limit, as without the gate");
        assertEquals(0, session.actives);
        assertEquals(-1, channel.runScheduledPendingTasks(), "no timer left behind");
        for (ProxyRejection reason : ProxyRejection.values()) {
            assertEquals(0, rejections.count(reason), "not a PROXY refusal: " + reason);
        }
        slots.open = 0;
    }

    @Test
    void atTheLimitADirectClientIsRefusedByItsOwnHandlers() throws Exception {
        slots.open = 2;
        connect(trustingBalancer, DIRECT);
        assertFalse(channel.isActive());
        assertEquals(1, slots.refused);
        assertNull(channel.pipeline().get(ProxyProtocol.HANDLER), "the gate left");
        slots.open = 0;
    }

    @Test
    void aHealthCheckThatConnectsAndClosesIsNotCounted() throws Exception {
        connect(trustingBalancer, BALANCER);
        channel.close();
        assertEquals(0, session.actives);
        for (ProxyRejection reason : ProxyRejection.values()) {
            assertEquals(0, rejections.count(reason), reason.toString());
        }
    }

    @Test
    void offMeansNoGateAtAll() throws Exception {
        ProxyProtocol off =
                new ProxyProtocol(ProxyProtocolConfig.defaults(), Duration.ofSeconds(5), rejections, "RTMP");
        connect(off, BALANCER);
        assertNull(channel.pipeline().get(ProxyProtocol.HANDLER));
        assertEquals(1, session.actives);
        channel.writeInbound(Unpooled.wrappedBuffer(text(V1_TCP4)));
        assertEquals(V1_TCP4, new String(session.bytes(), StandardCharsets.US_ASCII), "a header is just bytes then");
    }

    /** An embedded connection whose peer is an IP address, as a TCP one's is. */
    private static final class Peer extends EmbeddedChannel {
        private final SocketAddress peer;

        Peer(SocketAddress peer) {
            super(false, false);
            this.peer = peer;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }
    }

    /** A listener's connection limit: slots taken, refusals, connections handed on with theirs. */
    private static final class Slots implements ConnectionLimit {
        final int max;
        int open;
        int refused;
        int handedOn;

        Slots(int max) {
            this.max = max;
        }

        @Override
        public boolean tryOpen(Channel channel) {
            if (open >= max) {
                refused++;
                return false;
            }
            open++;
            return true;
        }

        @Override
        public void closed() {
            open--;
        }
    }

    /** Stands for a listener's handlers (first the limit, as ConnectionHandler): what they saw of the connection. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        private final Slots slots;
        int actives;
        int inactives;
        boolean admitted;
        String clientAtActive;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();

        Session(Slots slots) {
            this.slots = slots;
        }

        @Override
        public boolean isSharable() {
            return true; // one per test, re-added when a test connects twice
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ConnectionLimit.handedOn(ctx.channel())) {
                slots.handedOn++;
            } else if (!slots.tryOpen(ctx.channel())) {
                ctx.close();
                return;
            }
            admitted = true;
            actives++;
            clientAtActive = ClientAddress.text(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (admitted) {
                admitted = false;
                inactives++;
                slots.closed();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                read.writeBytes(ByteBufUtil.getBytes(bytes));
            } finally {
                bytes.release();
            }
        }

        byte[] bytes() {
            return read.toByteArray();
        }
    }
}
