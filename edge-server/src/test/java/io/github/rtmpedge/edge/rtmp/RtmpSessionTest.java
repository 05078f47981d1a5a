package io.github.rtmpedge.edge.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.metrics.EdgeMeters;
import io.github.rtmpedge.edge.metrics.EdgeMetrics;
import io.github.rtmpedge.edge.security.Gatekeeper;
import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.StreamRegistry;
import io.github.rtmpedge.edge.stream.TestFrames;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.ConnectResult;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.command.Status;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session behind the real pipeline minus the handshake (chunk and message codecs, then the
 * session), one {@link EmbeddedChannel} per connection. A client's messages are encoded with the
 * codec into bytes and fed in; what the server writes is decoded with the codec and described in
 * one line per message. Each channel has its own EmbeddedEventLoop; {@link #settle()} runs the
 * tasks of all of them until the streams' cross-loop hand-offs are done.
 */
class RtmpSessionTest {

    private static final int CHUNK_SIZE = 60000;
    private static final double TX_CONNECT = 1;
    private static final double TX_CREATE_STREAM = 2;

    private final StreamRegistry registry = new StreamRegistry(ByteBufAllocator.DEFAULT, CHUNK_SIZE, true, 1 << 20);
    /** The settings and meters of peers made from now on (a test of limits sets its own first). */
    private SessionSettings settings = new SessionSettings(CHUNK_SIZE, 30_000, 16 << 20, 2_500_000);

    private final EdgeMetrics metrics = EdgeMetrics.unscraped();
    private final SessionMeters meters = new SessionMeters(metrics);
    private final ConnectionTracker tracker = new ConnectionTracker(100);
    private final List<Peer> peers = new ArrayList<>();

    /** One client connection: the server's channel and the client's own encoder and decoder. */
    private final class Peer {
        final EmbeddedChannel server = new EmbeddedChannel(
                new ConnectionHandler(tracker, meters.traffic()),
                new ChunkDecoder(),
                new MessageDecoder(),
                new ChunkEncoder(),
                new MessageEncoder(),
                new RtmpSession(
                        new SessionServices(registry, null, AmfLimits.DEFAULT, Gatekeeper.OPEN, meters, tracker),
                        settings));
        final EmbeddedChannel clientOut = new EmbeddedChannel(new ChunkEncoder(), new MessageEncoder());
        final EmbeddedChannel clientIn = new EmbeddedChannel(new ChunkDecoder(), new MessageDecoder());

        Peer() {
            peers.add(this);
        }

        void send(RtmpMessage message) {
            clientOut.writeOutbound(message);
            for (ByteBuf b; (b = clientOut.readOutbound()) != null; ) {
                server.writeInbound(b);
            }
            settle();
        }

        /** Several messages in one read, and no task of the loops run yet (the caller settles). */
        void sendUnsettled(RtmpMessage... messages) {
            for (RtmpMessage m : messages) {
                clientOut.writeOutbound(m);
            }
            for (ByteBuf b; (b = clientOut.readOutbound()) != null; ) {
                server.writeInbound(b);
            }
        }

        /** What the server sent since the last call, one line per message. */
        List<String> received() {
            settle();
            for (ByteBuf b; (b = server.readOutbound()) != null; ) {
                clientIn.writeInbound(b);
            }
            List<String> out = new ArrayList<>();
            for (Object m; (m = clientIn.readInbound()) != null; ) {
                try {
                    out.add(describe((RtmpMessage) m));
                } finally {
                    ReferenceCountUtil.release(m);
                }
            }
            return out;
        }

        void close() {
            server.close();
            settle();
        }
    }

    private void settle() {
        for (int round = 0; round < 8; round++) {
            for (Peer p : peers) {
                p.server.runPendingTasks();
            }
        }
    }

    @AfterEach
    void tearDown() {
        for (Peer p : peers) {
            p.server.close();
        }
        settle();
        for (Peer p : peers) {
            p.received();
            assertFalse(p.server.finish());
            assertFalse(p.clientOut.finish());
            assertFalse(p.clientIn.finish());
        }
        assertEquals(0, registry.size(), "every stream closed and released its caches");
    }

    private static String describe(RtmpMessage m) {
        if (m instanceof CommandMessage c) {
            Command cmd = c.command();
            String s = "msid " + c.messageStreamId() + " " + cmd.name() + " " + (long) cmd.transactionId();
            if (Commands.ON_STATUS.equals(cmd.name())) {
                return s + " " + Commands.parseOnStatus(cmd).code();
            }
            if (Commands.RESULT.equals(cmd.name()) && cmd.transactionId() == TX_CONNECT) {
                return s + " " + ConnectResult.parse(cmd).info().code();
            }
            if (Commands.RESULT.equals(cmd.name()) && cmd.transactionId() == TX_CREATE_STREAM) {
                return s + " stream " + Commands.parseCreateStreamResult(cmd);
            }
            return s;
        }
        if (m instanceof DataMessage d) {
            List<Object> values = Messages.dataValues(d, AmfLimits.DEFAULT);
            String s = "msid " + d.messageStreamId() + " data " + values.get(0);
            if (Commands.ON_STATUS.equals(values.get(0))) {
                return s + " " + Status.parse(values.get(1)).code();
            }
            return DataMessages.ON_META_DATA.equals(values.get(0)) ? s + " " + values.get(1) : s;
        }
        if (m instanceof VideoMessage v) {
            return "msid " + v.messageStreamId() + " video ts " + v.timestamp() + " len "
                    + v.content().readableBytes();
        }
        if (m instanceof AudioMessage a) {
            return "msid " + a.messageStreamId() + " audio ts " + a.timestamp() + " len "
                    + a.content().readableBytes();
        }
        return m.toString(); // protocol and user control messages are records
    }

    // ---- client steps ---------------------------------------------------------------------------

    private Peer connected() {
        Peer p = new Peer();
        p.send(new CommandMessage(
                0,
                ConnectRequest.of("live", "rtmp://edge/live", "FMLE/3.0", null, null, 0)
                        .toCommand(TX_CONNECT)));
        p.send(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
        p.received();
        return p;
    }

    private Peer publishing(String name) {
        Peer p = connected();
        p.send(new CommandMessage(1, new PublishRequest(name, PublishRequest.Type.LIVE).toCommand(0)));
        p.received();
        return p;
    }

    private Peer playing(String name) {
        Peer p = connected();
        p.send(new CommandMessage(1, PlayRequest.of(name).toCommand(0)));
        return p;
    }

    private static void video(Peer p, long ts, ByteBuf payload) {
        p.send(new VideoMessage(ts, 1, payload)); // the encoder channel releases it
    }

    // ---- tests ------------------------------------------------------------------------------------

    @Test
    void connectIsAnsweredWithWindowBandwidthChunkSizeResultAndOnBwDone() {
        Peer p = new Peer();
        p.send(new CommandMessage(
                0,
                ConnectRequest.of("live", "rtmp://edge/live", "FMLE/3.0", null, null, 0)
                        .toCommand(TX_CONNECT)));
        assertEquals(
                List.of(
                        "WindowAcknowledgementSize[windowSize=2500000]",
                        "SetPeerBandwidth[windowSize=2500000, limitType=DYNAMIC]",
                        "SetChunkSize[chunkSize=60000]",
                        "msid 0 _result 1 NetConnection.Connect.Success",
                        "msid 0 onBWDone 0"),
                p.received());
    }

    @Test
    void connectWithoutApplicationNameIsRejectedAndClosed() {
        Peer p = new Peer();
        p.send(new CommandMessage(
                0,
                ConnectRequest.of("", "rtmp://edge/", "FMLE/3.0", null, null, 0).toCommand(TX_CONNECT)));
        assertEquals(List.of("msid 0 _error 1"), p.received());
        assertFalse(p.server.isOpen());
    }

    @Test
    void createStreamAnswersStream1() {
        Peer p = new Peer();
        p.send(new CommandMessage(
                0,
                ConnectRequest.of("live", "rtmp://edge/live", "FMLE/3.0", null, null, 0)
                        .toCommand(TX_CONNECT)));
        p.received();
        p.send(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
        assertEquals(List.of("msid 0 _result 2 stream 1"), p.received());
    }

    @Test
    void publishIsAnsweredWithStreamBeginAndPublishStart() {
        Peer p = connected();
        p.send(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        assertEquals(List.of("StreamBegin[streamId=1]", "msid 1 onStatus 0 NetStream.Publish.Start"), p.received());
    }

    @Test
    void secondPublisherOfTheSameStreamGetsBadNameAndIsClosed() {
        publishing("cam1");
        Peer second = connected();
        second.send(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        assertEquals(List.of("msid 1 onStatus 0 NetStream.Publish.BadName"), second.received());
        assertFalse(second.server.isOpen());
    }

    @Test
    void publishWithEmptyNameGetsBadNameAndIsClosed() {
        Peer p = connected();
        p.send(new CommandMessage(1, new PublishRequest("", PublishRequest.Type.LIVE).toCommand(0)));
        assertEquals(List.of("msid 1 onStatus 0 NetStream.Publish.BadName"), p.received());
        assertFalse(p.server.isOpen());
    }

    @Test
    void playWithEmptyNameGetsStreamNotFound() {
        Peer p = connected();
        p.send(new CommandMessage(1, PlayRequest.of("").toCommand(0)));
        assertEquals(List.of("msid 1 onStatus 0 NetStream.Play.StreamNotFound"), p.received());
    }

    @Test
    void playIsAnsweredWithStreamBeginResetStartSampleAccessAndDataStart() {
        Peer p = playing("cam1");
        assertEquals(
                List.of(
                        "StreamBegin[streamId=1]",
                        "msid 1 onStatus 0 NetStream.Play.Reset",
                        "msid 1 onStatus 0 NetStream.Play.Start",
                        "msid 1 data |RtmpSampleAccess",
                        "msid 1 data onStatus NetStream.Data.Start"),
                p.received());
    }

    @Test
    void playerJoiningGetsTheHeaderAndGopPublishedOnAnotherChannel() {
        Peer pub = publishing("cam1");
        video(pub, 0, TestFrames.avcHeader());
        video(pub, 1000, TestFrames.avcKey(500, 1));
        video(pub, 1040, TestFrames.avcInter(300, 2));
        Peer player = playing("cam1");
        List<String> got = player.received();
        assertEquals(
                List.of("msid 1 video ts 0 len 9", "msid 1 video ts 1000 len 500", "msid 1 video ts 1040 len 300"),
                got.subList(5, got.size()));
    }

    @Test
    void livePublishedMediaReachesThePlayer() {
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        video(pub, 2000, TestFrames.avcKey(500, 1));
        pub.send(new AudioMessage(2010, 1, TestFrames.aacRaw(100, 2)));
        assertEquals(List.of("msid 1 video ts 2000 len 500", "msid 1 audio ts 2010 len 100"), player.received());
    }

    @Test
    void metadataSentAsSetDataFrameReachesPlayersAsOnMetaData() {
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        pub.send(Messages.dataMessage(
                ByteBufAllocator.DEFAULT, 0, 1, DataMessages.setDataFrame(Map.of("width", 1280.0))));
        assertEquals(List.of("msid 1 data onMetaData {width=1280.0}"), player.received());
    }

    @Test
    void deleteStreamOfThePublisherAnswersUnpublishSuccess() {
        Peer pub = publishing("cam1");
        pub.send(new CommandMessage(0, Commands.deleteStream(0, 1)));
        assertEquals(List.of("msid 1 onStatus 0 NetStream.Unpublish.Success"), pub.received());
    }

    @Test
    void deleteStreamOfThePublisherTellsPlayersUnpublishNotifyAndStreamEof() {
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        pub.send(new CommandMessage(0, Commands.deleteStream(0, 1)));
        assertEquals(
                List.of("msid 1 onStatus 0 NetStream.Play.UnpublishNotify", "StreamEof[streamId=1]"),
                player.received());
    }

    @Test
    void closeStreamOfAPlayerIsAnsweredAfterItsMediaWithPlayStopAndStreamEof() {
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        video(pub, 2000, TestFrames.avcKey(500, 1));
        player.send(new CommandMessage(1, Commands.closeStream()));
        video(pub, 2040, TestFrames.avcInter(300, 2)); // after the close: not for this player
        assertEquals(
                List.of(
                        "msid 1 video ts 2000 len 500",
                        "msid 1 onStatus 0 NetStream.Play.Stop",
                        "StreamEof[streamId=1]"),
                player.received());
    }

    @Test
    void deleteStreamOfAPlayerIsAnsweredWithPlayStopAndStreamEof() {
        Peer player = playing("cam1");
        player.received();
        player.send(new CommandMessage(0, Commands.deleteStream(0, 1)));
        assertEquals(List.of("msid 1 onStatus 0 NetStream.Play.Stop", "StreamEof[streamId=1]"), player.received());
    }

    /** A publisher of cam1 that the stream (on a player's loop) has attached but not answered yet. */
    private Peer publishingWhileTheAttachIsUnderWay() {
        Peer player = playing("cam1");
        player.received();
        Peer pub = connected();
        pub.sendUnsettled(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        player.server.runPendingTasks(); // the stream's loop attaches the publisher
        return pub;
    }

    @Test
    void publishStoppedWhileItsAttachIsUnderWayLeavesNoSourceBehind() {
        Peer pub = publishingWhileTheAttachIsUnderWay();
        pub.sendUnsettled(new CommandMessage(0, Commands.fcUnpublish(3, "cam1"))); // before it hears back
        settle();
        assertEquals(
                null,
                registry.get(new StreamKey("live", "cam1")).source(),
                "source of a publish stopped while attaching");
    }

    @Test
    void connectionClosedWhileItsPublishAttachIsUnderWayLeavesNoSourceBehind() {
        publishingWhileTheAttachIsUnderWay().server.close();
        settle();
        assertEquals(
                null,
                registry.get(new StreamKey("live", "cam1")).source(),
                "source of a connection closed while attaching");
    }

    @Test
    void publisherLeavingFreesTheNameForTheNextPublisher() {
        Peer first = publishing("cam1");
        first.close();
        Peer next = connected();
        next.send(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        assertEquals(List.of("StreamBegin[streamId=1]", "msid 1 onStatus 0 NetStream.Publish.Start"), next.received());
    }

    @Test
    void publishBeforeConnectClosesTheConnection() {
        Peer p = new Peer();
        p.send(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        assertFalse(p.server.isOpen());
        assertEquals(1, violations("out_of_order"));
    }

    @Test
    void secondPublisherIsCountedAsStreamBusy() {
        publishing("cam1");
        Peer second = connected();
        second.send(new CommandMessage(1, new PublishRequest("cam1", PublishRequest.Type.LIVE).toCommand(0)));
        assertFalse(second.server.isOpen());
        assertEquals(1, violations("stream_busy"));
    }

    @Test
    void commandsOverTheBurstCloseTheConnection() {
        settings = new SessionSettings(CHUNK_SIZE, 30_000, 16 << 20, 2_500_000, 1, 5, Long.MAX_VALUE, 0, 0, 0);
        Peer p = connected(); // 2 commands
        p.send(new CommandMessage(0, Commands.createStream(3)));
        p.send(new CommandMessage(0, Commands.createStream(4)));
        p.send(new CommandMessage(0, Commands.createStream(5)));
        assertEquals(
                List.of("msid 0 _result 3", "msid 0 _result 4", "msid 0 _result 5"),
                p.received(),
                "5 commands are the burst");
        assertTrue(p.server.isOpen());
        p.send(new CommandMessage(0, Commands.createStream(6)));
        assertEquals(List.of(), p.received(), "the 6th within the same second is not answered");
        assertFalse(p.server.isOpen());
        assertEquals(1, violations("command_flood"));
    }

    @Test
    void unknownMessageTypesAreIgnoredAndCounted() {
        Peer p = connected();
        for (int type : new int[] {7, 99, 255}) {
            p.send(new io.github.rtmpedge.rtmp.message.UnknownMessage(
                    type, 0, 0, io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        }
        assertTrue(p.server.isOpen(), "unknown messages are not a reason to close");
        assertEquals(3, violations("unknown_message"));
        p.send(new CommandMessage(0, Commands.createStream(3)));
        assertEquals(List.of("msid 0 _result 3"), p.received(), "the session goes on");
    }

    @Test
    void aPublisherFarAheadOfTheWallClockIsWarnedAboutThenClosed() {
        settings = new SessionSettings(CHUNK_SIZE, 30_000, 16 << 20, 2_500_000, 0, 1, 1_000, 5_000, 0, 0);
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        for (long ts = 0; ts <= 3_000; ts += 40) {
            video(pub, ts, ts == 0 ? TestFrames.avcKey(100, 1) : TestFrames.avcInter(50, 2));
        }
        assertTrue(pub.server.isOpen());
        assertEquals(1, violations("publish_ahead"), "counted once when it passed publish_lead_warn");
        for (long ts = 3_040; ts <= 6_000 && pub.server.isOpen(); ts += 40) {
            video(pub, ts, TestFrames.avcInter(50, 2));
        }
        assertFalse(pub.server.isOpen(), "closed past publish_lead_max");
        assertEquals(1, violations("publish_ahead"));
        assertTrue(player.server.isOpen(), "its player stays");
    }

    @Test
    void aPlayerThatStopsAcknowledgingIsReportedOnceThenClosedPastTheMaximum() {
        settings = new SessionSettings(CHUNK_SIZE, 30_000, 16 << 20, 10_000, 0, 1, Long.MAX_VALUE, 0, 2, 4);
        Peer pub = publishing("cam1");
        Peer player = playing("cam1");
        player.received();
        video(pub, 0, TestFrames.avcKey(15_000, 1)); // 1.5 windows
        player.received();
        player.send(new io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement(15_000));
        player.server.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        player.server.runScheduledPendingTasks();
        assertEquals(0, violations("ack_stalled"), "acknowledged up to date");
        for (int i = 1; i <= 3; i++) {
            video(pub, i * 40L, TestFrames.avcInter(10_000, 2));
        }
        player.received();
        player.server.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        player.server.runScheduledPendingTasks();
        assertEquals(1, violations("ack_stalled"), "30 kB unacknowledged: over 2 windows of 10 kB");
        assertTrue(player.server.isOpen(), "not over ack_max_windows yet");
        for (int i = 4; i <= 5; i++) {
            video(pub, i * 40L, TestFrames.avcInter(10_000, 2));
        }
        player.received();
        player.server.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        player.server.runScheduledPendingTasks();
        assertFalse(player.server.isOpen(), "50 kB unacknowledged: over 4 windows");
        assertEquals(1, violations("ack_stalled"), "reported once");
    }

    private double violations(String kind) {
        return metrics.registry()
                .get(EdgeMeters.PROTOCOL_VIOLATIONS.meterName())
                .tag("kind", kind)
                .counter()
                .count();
    }

    @Test
    void playBeforeConnectClosesTheConnection() {
        Peer p = new Peer();
        p.send(new CommandMessage(1, PlayRequest.of("cam1").toCommand(0)));
        assertFalse(p.server.isOpen());
    }

    @Test
    void createStreamBeforeConnectClosesTheConnection() {
        Peer p = new Peer();
        p.send(new CommandMessage(0, Commands.createStream(TX_CREATE_STREAM)));
        assertFalse(p.server.isOpen());
    }

    @Test
    void pingRequestIsAnsweredWithPingResponse() {
        Peer p = new Peer();
        p.send(new UserControlMessage.PingRequest(123456));
        assertEquals(List.of("PingResponse[time=123456]"), p.received());
    }

    @Test
    void acknowledgementDueIsAnsweredWithAnAcknowledgement() {
        Peer p = new Peer();
        p.server.pipeline().fireUserEventTriggered(new AcknowledgementDue(2_500_123));
        assertEquals(List.of("Acknowledgement[sequenceNumber=2500123]"), p.received());
    }

    @Test
    void streamNameQueryIsLeftOutOfTheKeyAndKeptAsTheStreamsQuery() {
        publishing("cam1?token=abc");
        assertEquals("token=abc", registry.get(new StreamKey("live", "cam1")).query());
    }

    @Test
    void publisherIsTheStreamsSource() {
        publishing("cam1");
        assertTrue(registry.get(new StreamKey("live", "cam1")).source() != null);
    }
}
