package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTrackerTest {

    private static final TrafficMeters TRAFFIC = new TrafficMeters(EdgeMetrics.unscraped());

    @Test
    void opensUpToTheMaximum() {
        ConnectionTracker t = new ConnectionTracker(2);
        assertTrue(t.tryOpen());
        assertTrue(t.tryOpen());
        assertFalse(t.tryOpen());
    }

    @Test
    void countsAcceptedRejectedAndActive() {
        ConnectionTracker t = new ConnectionTracker(1);
        t.tryOpen();
        t.tryOpen();
        t.tryOpen();
        assertEquals(List.of(1, 1L, 2L), List.of(t.active(), t.accepted(), t.rejected()));
    }

    @Test
    void closingFreesASlot() {
        ConnectionTracker t = new ConnectionTracker(1);
        t.tryOpen();
        t.closed();
        assertTrue(t.tryOpen());
        assertEquals(1, t.active());
    }

    @Test
    void handlerCountsAnOpenConnection() {
        ConnectionTracker t = new ConnectionTracker(1);
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionHandler(t, TRAFFIC));
        assertTrue(ch.isActive());
        assertEquals(1, t.active());
        assertFalse(ch.finish());
    }

    @Test
    void handlerClosesAConnectionAboveMaxConnections() {
        ConnectionTracker t = new ConnectionTracker(1);
        EmbeddedChannel first = new EmbeddedChannel(new ConnectionHandler(t, TRAFFIC));
        EmbeddedChannel second = new EmbeddedChannel(new ConnectionHandler(t, TRAFFIC));
        assertFalse(second.isOpen());
        assertEquals(List.of(1, 1L, 1L), List.of(t.active(), t.accepted(), t.rejected()));
        assertFalse(first.finish());
        assertFalse(second.finish());
    }

    @Test
    void rejectedConnectionIsNotCountedDownWhenItCloses() {
        ConnectionTracker t = new ConnectionTracker(1);
        EmbeddedChannel first = new EmbeddedChannel(new ConnectionHandler(t, TRAFFIC));
        EmbeddedChannel second = new EmbeddedChannel(new ConnectionHandler(t, TRAFFIC));
        second.finish();
        assertEquals(1, t.active());
        first.finish();
        assertEquals(0, t.active());
    }

    @Test
    void handlerCountsBytesInAndOut() {
        ConnectionHandler h = new ConnectionHandler(new ConnectionTracker(1), TRAFFIC);
        EmbeddedChannel ch = new EmbeddedChannel(h);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[7]));
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[11]));
        ByteBuf in = ch.readInbound();
        ByteBuf out = ch.readOutbound();
        in.release();
        out.release();
        assertEquals(List.of(7L, 11L), List.of(h.bytesIn(), h.bytesOut()));
        assertFalse(ch.finish());
    }
}
