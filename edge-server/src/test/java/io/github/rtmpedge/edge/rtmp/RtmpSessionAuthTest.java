package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.config.SecurityConfig;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.security.HookEvent;
import io.github.rtmpedge.edge.security.Verdict;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.stream.TestFrames;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publish whose on_publish hook has not answered yet: reading is off, media is not accepted,
 * commands wait, and a connection that closes meanwhile leaves nothing registered.
 */
class RtmpSessionAuthTest {

    private static final int CHUNK_SIZE = 60000;
    private static final StreamKey KEY = new StreamKey("live", "s");

    private final StreamRegistry registry = new StreamRegistry(ByteBufAllocator.DEFAULT, CHUNK_SIZE, true, 1 << 20);
    private final List<CompletableFuture<Verdict>> pending = new ArrayList<>();
    private final List<HookEvent> notified = new ArrayList<>();
    private final SessionMeters meters = new SessionMeters(EdgeMetrics.unscraped());
    private final EmbeddedChannel server;
    private final EmbeddedChannel clientOut = new EmbeddedChannel(new ChunkEncoder(), new MessageEncoder());
    private final EmbeddedChannel clientIn = new EmbeddedChannel(new ChunkDecoder(), new MessageDecoder());

    RtmpSessionAuthTest() {
        SecurityConfig.AccessRule everyone = new SecurityConfig.AccessRule(List.of(), List.of(), false);
        SecurityConfig.HookUrls hooks = new SecurityConfig.HookUrls(
                List.of(),
                List.of(URI.create("http://hooks/publish")),
                List.of(URI.create("http://hooks/unpublish")),
                List.of(),
                List.of());
        SecurityConfig security = new SecurityConfig(
                List.of(),
                Duration.ZERO,
                Duration.ofSeconds(1),
                false,
                new SecurityConfig.AppRules(everyone, everyone, hooks),
                Map.of());
        Gatekeeper gatekeeper = new Gatekeeper(
                security,
                new Gatekeeper.Hooks() {
                    @Override
                    public CompletableFuture<Verdict> decide(
                            List<URI> urls, HookEvent event, Duration timeout, boolean failOpen) {
                        CompletableFuture<Verdict> verdict = new CompletableFuture<>();
                        pending.add(verdict);
                        return verdict;
                    }

                    @Override
                    public void notify(List<URI> urls, HookEvent event, Duration timeout) {
                        notified.add(event);
                    }
                },
                () -> 0L);
        server = new EmbeddedChannel(
                new ChunkDecoder(),
                new MessageDecoder(),
                new ChunkEncoder(),
                new MessageEncoder(),
                new RtmpSession(
                        new SessionServices(
                                registry, null, AmfLimits.DEFAULT, gatekeeper, meters, new ConnectionTracker(100)),
                        new SessionSettings(CHUNK_SIZE, 30_000, 16 << 20, 2_500_000)));
    }

    @AfterEach
    void tearDown() {
        server.close();
        settle();
        received();
        assertFalse(server.finish());
        assertFalse(clientOut.finish());
        assertFalse(clientIn.finish());
        assertEquals(0, registry.size(), "every stream closed");
    }

    private void settle() {
        for (int i = 0; i < 8; i++) {
            server.runPendingTasks();
        }
    }

    private void send(RtmpMessage message) {
        clientOut.writeOutbound(message);
        for (ByteBuf b; (b = clientOut.readOutbound()) != null; ) {
            server.writeInbound(b);
        }
        settle();
    }

    /** The onStatus codes (and other command names) the server sent since the last call. */
    private List<String> received() {
        settle();
        for (ByteBuf b; (b = server.readOutbound()) != null; ) {
            clientIn.writeInbound(b);
        }
        List<String> out = new ArrayList<>();
        for (Object m; (m = clientIn.readInbound()) != null; ) {
            try {
                if (m instanceof CommandMessage c) {
                    Command cmd = c.command();
                    out.add(
                            Commands.ON_STATUS.equals(cmd.name())
                                    ? Commands.parseOnStatus(cmd).code()
                                    : cmd.name());
                }
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        return out;
    }

    private void publishAndWait() {
        send(new CommandMessage(
                0,
                ConnectRequest.of("live", "rtmp://edge/live", "FMLE/3.0", null, null, 0)
                        .toCommand(1)));
        send(new CommandMessage(0, Commands.createStream(2)));
        received();
        send(new CommandMessage(1, new PublishRequest("s?k=1", PublishRequest.Type.LIVE).toCommand(0)));
        assertEquals(1, pending.size(), "the hook was asked");
        assertFalse(server.config().isAutoRead(), "no reading while the hook decides");
        assertEquals(List.of(), received(), "no answer before the decision");
    }

    @Test
    void mediaSentBeforeTheDecisionIsNotAcceptedAndCommandsWait() {
        publishAndWait();
        send(new VideoMessage(0, 1, TestFrames.avcHeader()));
        send(new VideoMessage(0, 1, TestFrames.avcKey(500, 1)));
        send(new CommandMessage(0, Commands.releaseStream(3, "s")));

        pending.get(0).complete(Verdict.ALLOW);
        // Publish.Start waits for the stream's loop (as without a hook); the held command is answered at once.
        assertEquals(List.of(Commands.RESULT, "NetStream.Publish.Start"), received());
        assertTrue(server.config().isAutoRead(), "reading again");
        LiveStream stream = registry.get(KEY);
        assertEquals(0, stream.cachedBytes(), "the media sent before the decision was dropped");

        send(new VideoMessage(0, 1, TestFrames.avcKey(500, 2)));
        assertTrue(stream.cachedBytes() > 0, "media after Publish.Start is accepted");
        server.close();
        settle();
        assertEquals(1, notified.size());
        assertEquals("on_unpublish", notified.get(0).action());
        assertEquals("?k=1", notified.get(0).param());
    }

    @Test
    void refusalAnswersBadNameClosesAndCounts() {
        publishAndWait();
        pending.get(0).complete(Verdict.refuse(AuthReason.HOOK_DENIED, "test"));
        assertEquals(List.of("NetStream.Publish.BadName"), received());
        assertFalse(server.isActive());
        assertNull(registry.get(KEY));
        assertEquals(1.0, meters.refusals().refusals(AuthAction.PUBLISH, AuthReason.HOOK_DENIED));
        assertTrue(notified.isEmpty(), "no on_unpublish for a publish that never started");
    }

    @Test
    void connectionClosedBeforeTheDecisionLeavesNoPublisher() {
        publishAndWait();
        server.close();
        settle();
        pending.get(0).complete(Verdict.ALLOW);
        settle();
        assertNull(registry.get(KEY), "nothing registered");
        assertTrue(notified.isEmpty());
    }

    @Test
    void tooManyCommandsWhileDecidingCloseTheConnection() {
        publishAndWait();
        for (int i = 0; i <= AuthorisationGate.MAX_HELD_COMMANDS; i++) {
            send(new CommandMessage(0, Commands.releaseStream(10 + i, "s")));
        }
        assertFalse(server.isActive());
        pending.get(0).complete(Verdict.ALLOW);
        settle();
        assertNull(registry.get(KEY));
    }
}
