package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session layer of the real server over TCP, with random but well-formed client scripts: a few
 * hundred rounds, each of one to four concurrent connections to an in-process server, each connection
 * sending a connect and then random commands, media and control messages ({@link SessionMoves}), and
 * some of them going away abruptly. Reproducible from its seed ({@code -Dsession.seed=N}; the seed
 * of a run is printed and named in every failure); {@code -Dsession.rounds=N} sets the number of rounds.
 *
 * <p>Invariants: no exception escapes a handler or task ({@link SessionInvariants}); once every
 * connection is closed the stream registry is empty, the connection tracker counts none, and the
 * connection and stream gauges are zero; no buffer leaks (the leak guard, paranoid).
 */
class SessionSequencesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SEED = Long.getLong("session.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("session.rounds", 300);

    @TempDir
    Path dir;

    private SessionInvariants invariants;
    private EdgeUnderTest edge;
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        System.out.println("SessionSequencesTest seed " + SEED + " (rerun with -Dsession.seed=" + SEED + ")");
        invariants = new SessionInvariants();
        edge = EdgeUnderTest.start(dir, "idle_timeout = 5s\nlimits { amf_max_string_length = 65536 }");
        group = Transports.newGroup(2, "session-clients");
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        edge.close();
        invariants.close();
    }

    @Test
    void randomSessionsLeaveNoStreamConnectionOrErrorBehind() throws Exception {
        Random random = new Random(SEED);
        SessionMoves moves = new SessionMoves(SessionMoves.Choices.of(random), PooledByteBufAllocator.DEFAULT);
        long messages = 0;
        long abrupt = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int connections = 1 + random.nextInt(4);
            List<ScriptedClient> clients = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                List<RtmpMessage> script = new ArrayList<>();
                script.add(moves.connect());
                for (int n = random.nextInt(40); n > 0; n--) {
                    script.add(moves.next());
                }
                boolean closeAbruptly = random.nextInt(4) == 0;
                messages += script.size();
                abrupt += closeAbruptly ? 1 : 0;
                clients.add(new ScriptedClient(group, edge.port(), script, closeAbruptly));
            }
            for (ScriptedClient client : clients) {
                client.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            for (ScriptedClient client : clients) {
                client.channel.close().syncUninterruptibly();
            }
        }
        String context = "seed " + SEED + " (rerun with -Dsession.seed=" + SEED + "), " + ROUNDS + " rounds";
        try {
            Awaitility.await("streams and connections all gone; " + context)
                    .atMost(WAIT)
                    .until(() -> edge.server().streams().size() == 0
                            && edge.server().rtmp().tracker().active() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    context + ": streams left "
                            + edge.server().streams().streams().stream()
                                    .map(st -> st.key() + " source " + st.source() + " subscribers "
                                            + st.subscriberCount())
                                    .toList()
                            + ", connections counted "
                            + edge.server().rtmp().tracker().active() + ", open "
                            + edge.server().rtmp().describeConnections(),
                    e);
        }
        MeterRegistry registry = edge.server().metrics().registry();
        Awaitility.await("connection and stream gauges at zero; " + context)
                .atMost(WAIT)
                .until(() -> gaugeSum(registry, "rtmp.connections.active") == 0
                        && gaugeSum(registry, "rtmp.streams.active") == 0);
        System.out.println("SessionSequencesTest: " + ROUNDS + " rounds, " + messages + " messages, " + abrupt
                + " abrupt closes, " + edge.server().rtmp().tracker().accepted() + " connections accepted; " + context);
        List<String> violations = invariants.violations();
        assertEquals(List.of(), violations, context);
    }

    private static double gaugeSum(MeterRegistry registry, String name) {
        return registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    /**
     * Connects, and after the handshake writes its whole script at once (so the server gets it as
     * fast as TCP allows, interleaved with the other connections), then closes if told to. It reads
     * and releases whatever the server sends.
     */
    private static final class ScriptedClient extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Channel channel;
        private List<RtmpMessage> script;
        private final boolean closeAbruptly;

        ScriptedClient(EventLoopGroup group, int port, List<RtmpMessage> script, boolean closeAbruptly) {
            this.script = script;
            this.closeAbruptly = closeAbruptly;
            ChannelFuture connect = new Bootstrap()
                    .group(group)
                    .channel(Transports.clientChannel())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new ClientHandshakeHandler(HandshakeMode.SIMPLE, Duration.ofSeconds(10)),
                                            new ChunkDecoder(),
                                            new MessageDecoder(),
                                            new ChunkEncoder(),
                                            new MessageEncoder(),
                                            ScriptedClient.this);
                        }
                    })
                    .connect("127.0.0.1", port)
                    .syncUninterruptibly();
            channel = connect.channel();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                List<RtmpMessage> toWrite = script;
                script = null;
                for (RtmpMessage m : toWrite) {
                    ctx.write(m);
                }
                ChannelFuture flushed = ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(0));
                flushed.addListener((ChannelFutureListener) f -> {
                    if (closeAbruptly) {
                        ctx.close();
                    }
                    done.complete(null);
                });
            } else if (evt instanceof AcknowledgementDue due) {
                ctx.writeAndFlush(new ProtocolControlMessage.Acknowledgement(due.sequenceNumber()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            List<RtmpMessage> unsent = script;
            script = null;
            if (unsent != null) {
                unsent.forEach(ReferenceCountUtil::release);
            }
            done.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a decoding problem on our side, or a reset: the server's invariants are what count
        }
    }
}
