package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.rtmp.ConnectionHandler;
import io.github.rtmpedge.edge.rtmp.RtmpSession;
import io.github.rtmpedge.edge.rtmp.SessionMeters;
import io.github.rtmpedge.edge.rtmp.SessionServices;
import io.github.rtmpedge.edge.rtmp.SessionSettings;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the server's session layer: the fuzzer's data chooses several
 * interleaved client connections and, for each step, which one acts and what it sends (see
 * {@link SessionMoves}), or that it goes away. Each connection is an {@link EmbeddedChannel} with the
 * real server pipeline after the handshake (connection handler, chunk and message codecs, session)
 * sharing one stream registry; what the server writes is decoded by a client-side codec.
 *
 * <p>Invariants: no exception escapes a handler or a task ({@link SessionInvariants}); once every
 * connection is closed no stream is left in the registry and the connection tracker counts none; no
 * buffer leaks (the leak guard). In the normal build this runs in regression mode and in a short
 * fuzzing run (see the edge-server pom); a long run: {@code JAZZER_FUZZ=1 mvn -B -pl edge-server -am
 * test -Dtest=SessionFuzzTest -Djazzer.max_duration=30m -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SessionFuzzTest {

    private static final int MAX_STEPS = 120;
    private static final ChunkLimits CHUNK_LIMITS = new ChunkLimits(256 * 1024, 1 << 20, 16);
    private static final AmfLimits AMF_LIMITS = new AmfLimits(16, 64 * 1024, 1024, 1024);

    private static final SessionSettings SETTINGS = new SessionSettings(4096, 3_000, 1 << 20, 2_500_000);
    private static final SessionMeters METERS = new SessionMeters(EdgeMetrics.unscraped());

    /** The server's state for one input (the fuzzer reuses the test instance across inputs). */
    private static final class Server {
        final StreamRegistry registry = new StreamRegistry(ByteBufAllocator.DEFAULT, 4096, true, 1 << 20);
        final ConnectionTracker tracker = new ConnectionTracker(100);
        final List<Peer> peers = new ArrayList<>();

        /** Runs every connection's loop until the streams' cross-loop hand-offs are done. */
        void settle() {
            for (int round = 0; round < 8; round++) {
                for (Peer p : peers) {
                    p.server.runPendingTasks();
                }
            }
        }
    }

    /** One client connection: the server's channel, and the client's encoder and decoder. */
    private static final class Peer {
        final EmbeddedChannel server;
        final EmbeddedChannel clientOut = new EmbeddedChannel(new ChunkEncoder(), new MessageEncoder());
        final EmbeddedChannel clientIn = new EmbeddedChannel(new ChunkDecoder(), new MessageDecoder());

        Peer(Server s) {
            server = new EmbeddedChannel(
                    new ConnectionHandler(s.tracker, METERS.traffic()),
                    new ChunkDecoder(CHUNK_LIMITS),
                    new MessageDecoder(AMF_LIMITS),
                    new ChunkEncoder(),
                    new MessageEncoder(),
                    new RtmpSession(
                            new SessionServices(s.registry, null, AMF_LIMITS, Gatekeeper.OPEN, METERS, s.tracker),
                            SETTINGS));
            s.peers.add(this);
        }

        void send(RtmpMessage message) {
            clientOut.writeOutbound(message);
            for (ByteBuf b; (b = clientOut.readOutbound()) != null; ) {
                if (server.isOpen()) {
                    server.writeInbound(b);
                } else {
                    b.release();
                }
            }
        }

        /** Decodes and releases what the server wrote: its output must be valid RTMP. */
        void readReplies() {
            for (ByteBuf b; (b = server.readOutbound()) != null; ) {
                clientIn.writeInbound(b);
            }
            for (Object m; (m = clientIn.readInbound()) != null; ) {
                ReferenceCountUtil.release(m);
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void anySequenceOfClientMessagesLeavesNoStreamConnectionOrErrorBehind(FuzzedDataProvider data) {
        SessionMoves.Choices choices = bound -> data.consumeInt(0, bound - 1);
        SessionMoves moves = new SessionMoves(choices, ByteBufAllocator.DEFAULT);
        Server s = new Server();
        try (SessionInvariants invariants = new SessionInvariants()) {
            int connections = data.consumeInt(1, 4);
            List<Peer> open = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Peer p = new Peer(s);
                p.send(moves.connect());
                open.add(p);
            }
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                int who = data.consumeInt(0, open.size() - 1);
                Peer p = open.get(who);
                switch (data.consumeInt(0, 15)) {
                    case 0 -> { // goes away abruptly; another one comes
                        p.server.close();
                        Peer next = new Peer(s);
                        next.send(moves.connect());
                        open.set(who, next);
                    }
                    case 1 -> s.settle();
                    default -> p.send(moves.next());
                }
                p.readReplies();
            }
            s.settle();
            for (Peer p : s.peers) {
                p.server.close();
            }
            s.settle();
            for (Peer p : s.peers) {
                p.readReplies();
                p.server.finishAndReleaseAll();
                p.clientOut.finishAndReleaseAll();
                p.clientIn.finishAndReleaseAll();
            }
            assertEquals(0, s.registry.size(), "streams left in the registry");
            assertEquals(0, s.tracker.active(), "connections still counted");
            invariants.assertClean();
        }
    }
}
