package io.github.rtmpedge.rtmp.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.rtmp.flv.FlvReader;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.MessageType;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.Gstreamer;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.Rtmpdump;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec against real RTMP programs on 127.0.0.1. Our scripted server ({@link TestRtmpServer})
 * receives from ffmpeg and GStreamer publishers and plays out to ffmpeg, rtmpdump and GStreamer
 * players; our scripted client ({@link TestRtmpClient}) publishes to and plays from nginx-rtmp.
 * Each program decodes the chunk stream with its own implementation.
 */
class RtmpInteropTest {

    private static final Duration CONNECT_WAIT = Duration.ofSeconds(20);
    private static final Duration MEDIA_WAIT = Duration.ofSeconds(30);
    private static final long TWO_SECONDS = 2_000;
    /** An acknowledgement window small enough that a 2 s play crosses it several times. */
    private static final long SMALL_WINDOW = 32_768;
    /**
     * Frames ffmpeg must decode in 2 s played through nginx: with {@code wait_key} video starts at
     * the next keyframe (up to 1 s in) while ffmpeg's clock starts at the first audio packet.
     */
    private static final long MIN_FRAMES_VIA_NGINX = 25;
    /** Crosses 0xFFFFFF 255 ms into the file: every later absolute timestamp needs the extended field. */
    private static final long NEAR_24_BIT_LIMIT = 0x00FFFF00L;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<AutoCloseable> resources = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // --- our server, real publishers ---

    @Test
    void ffmpegPublisherSendsConnectPublishMetadataSequenceHeadersAndFrames() {
        TestRtmpServer server = server(4096, null);
        ManagedProcess ffmpeg =
                track(new Ffmpeg(dir.resolve("logs")).publish(server.url("live", "cam1"), TestMedia.small(), false));

        TestRtmpServer.Session session = awaitPublishedMedia(server, ffmpeg::describe);

        assertAll(
                () -> assertEquals("live", session.connect.app()),
                () -> assertEquals("cam1", session.publish.name()),
                () -> assertPublishedStreamShape(session.log));
    }

    @Test
    void gstreamerRtmp2SinkPublishesMetadataSequenceHeadersAndFrames() {
        TestRtmpServer server = server(4096, null);
        ManagedProcess gst =
                track(new Gstreamer(dir.resolve("logs")).publish(server.url("live", "gst1"), TestMedia.small()));

        TestRtmpServer.Session session = awaitPublishedMedia(server, gst::describe);

        assertAll(
                () -> assertEquals("live", session.connect.app()),
                () -> assertEquals("gst1", session.publish.name()),
                () -> assertPublishedStreamShape(session.log));
    }

    /**
     * GStreamer announces a 2.5 MB window (ffmpeg announces none to a server): once that much has
     * arrived our chunk decoder fires AcknowledgementDue and we acknowledge. The 2 Mbps file gets
     * there in about 10 s of real time.
     */
    @Test
    void ourServerAcknowledgesOnceGstreamersWindowFills() {
        Path file = TestMedia.benchmark720p();
        TestRtmpServer server = server(4096, null);
        ManagedProcess gst = track(new Gstreamer(dir.resolve("logs")).publish(server.url("live", "big"), file));
        TestRtmpServer.Session session = server.awaitConnected(CONNECT_WAIT);
        PeerLog log = session.log;

        Awaitility.await("an Acknowledgement for GStreamer's window")
                .atMost(MEDIA_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log.acknowledgementsSent.get() > 0 || !log.errors.isEmpty());

        long window = log.acknowledgementWindow.get();
        assertAll(
                () -> assertTrue(log.errors.isEmpty(), () -> log.summary() + "\n" + gst.describe()),
                () -> assertEquals(2_500_000, window, log::summary),
                () -> assertTrue(
                        log.lastAcknowledged.get() >= window && log.lastAcknowledged.get() < 2 * window, log::summary),
                () -> assertTrue(
                        gst.isAlive(),
                        () -> "GStreamer stopped publishing after our Acknowledgement\n" + gst.describe()));
    }

    // --- our server, real players; 128 makes every video message span several chunks ---

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(ints = {128, 60_000})
    void ffmpegPlaysOurServerAndDecodesWithoutErrors(int chunkSize) {
        TestRtmpServer server = server(chunkSize, TestMedia.small());

        Ffmpeg.PlayResult result =
                new Ffmpeg(dir.resolve("logs")).play(server.url("live", "s1"), Duration.ofSeconds(2));

        // 2 s at 25 fps is 50 frames; ffmpeg's last progress line may lag a little.
        assertTrue(
                result.decodedCleanly() && result.frames() >= 40 && noCodecErrors(server),
                () -> result + "\n" + serverSummary(server));
    }

    /**
     * librtmp acknowledges every tenth of the bandwidth we set (Set Peer Bandwidth). With a small one
     * its first Acknowledgement is due before it has sent anything else on chunk stream 2, and
     * librtmp sends it with a format 1 header on that fresh chunk stream (its acks and control
     * messages always use the 8-byte header). The spec wants format 0 first; SRS accepts format 1
     * there ("fresh chunk starts with fmt=1") because of librtmp. Our decoder must read it too.
     */
    @Test
    void rtmpdumpAcknowledgesOurSmallWindow() {
        TestRtmpServer server = track(new TestRtmpServer(group, 4096, SMALL_WINDOW, TestMedia.small()));

        Rtmpdump.RecordResult result = new Rtmpdump(dir.resolve("logs"))
                .play(server.url("live", "s1"), dir.resolve("rtmpdump.flv"), Duration.ofSeconds(2));

        PeerLog log = server.awaitConnected(CONNECT_WAIT).log;
        assertTrue(
                !log.received(MessageType.ACKNOWLEDGEMENT).isEmpty()
                        && log.errors.stream().noneMatch(e -> e instanceof RtmpCodecException),
                () -> result + "\n" + log.summary());
    }

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(ints = {128, 60_000})
    void rtmpdumpRecordsVideoAndAudioFromOurServer(int chunkSize) {
        TestRtmpServer server = server(chunkSize, TestMedia.small());

        Rtmpdump.RecordResult result = new Rtmpdump(dir.resolve("logs"))
                .play(server.url("live", "s1"), dir.resolve("rtmpdump.flv"), Duration.ofSeconds(3));

        assertTrue(
                result.packets().video() > 25 && result.packets().audio() > 25 && noCodecErrors(server),
                () -> result + "\n" + serverSummary(server));
    }

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(ints = {128, 60_000})
    void gstreamerRtmp2SrcPlaysOurServerToTheBufferCount(int chunkSize) {
        TestRtmpServer server = server(chunkSize, TestMedia.small());

        Gstreamer.PlayResult result = new Gstreamer(dir.resolve("logs")).play(server.url("live", "s1"), 30, MEDIA_WAIT);

        assertTrue(result.succeeded() && noCodecErrors(server), () -> result + "\n" + serverSummary(server));
    }

    // --- our client against nginx-rtmp ---

    @ParameterizedTest
    @EnumSource(HandshakeMode.class)
    void ourClientPublishesToNginxAndFfmpegDecodesIt(HandshakeMode mode) {
        NginxRtmp nginx = nginx();
        TestRtmpClient publisher = publishTo(nginx, "c1", mode, 0, false);

        Ffmpeg.PlayResult result = new Ffmpeg(dir.resolve("logs")).play(nginx.rtmpUrl("c1"), Duration.ofSeconds(2));

        assertTrue(
                result.decodedCleanly() && result.frames() >= MIN_FRAMES_VIA_NGINX && publisher.log.errors.isEmpty(),
                () -> result + "\npublisher: " + publisher.log.summary() + "\n" + nginx.errorLogText());
    }

    @ParameterizedTest
    @EnumSource(HandshakeMode.class)
    void ourClientPlaysFromNginxWhileFfmpegPublishes(HandshakeMode mode) {
        NginxRtmp nginx = nginx();
        ManagedProcess ffmpeg =
                track(new Ffmpeg(dir.resolve("logs")).publish(nginx.rtmpUrl("f1"), TestMedia.small(), true));
        awaitNginxPublishing(nginx, "f1");
        TestRtmpClient player = track(TestRtmpClient.player(NginxRtmp.APP, "f1"));
        player.connect(group, nginx.port(), mode);

        awaitMedia(player.log, () -> ffmpeg.describe() + "\n" + nginx.errorLogText());

        PeerLog log = player.log;
        assertAll(
                () -> assertTrue(log.statusCodes().contains(StatusCode.PLAY_START.code()), log::summary),
                () -> assertTrue(
                        log.media.stream().anyMatch(m -> m.isData() && DataMessages.isMetaData(m.dataValues())),
                        log::summary),
                () -> assertTrue(log.video().get(0).sequenceHeader(), log::summary),
                () -> assertTrue(log.audio().get(0).sequenceHeader(), log::summary),
                () -> assertTimestampsNonDecreasingPerChunkStream(log),
                () -> assertAcknowledgedWhenDue(log));
    }

    @Test
    void extendedTimestampsCrossing24BitsReachNginxAndItsPlayers() throws Exception {
        NginxRtmp nginx = nginx();
        TestRtmpClient publisher = publishTo(nginx, "x1", HandshakeMode.SIMPLE, NEAR_24_BIT_LIMIT, true);
        TestRtmpClient player = track(TestRtmpClient.player(NginxRtmp.APP, "x1"));
        player.connect(group, nginx.port(), HandshakeMode.DIGEST);

        Ffmpeg.PlayResult result = new Ffmpeg(dir.resolve("logs")).play(nginx.rtmpUrl("x1"), Duration.ofSeconds(2));

        // nginx relays absolute timestamps unchanged: each frame our player gets is one we sent.
        Set<Long> published = videoTimestamps(TestMedia.small(), NEAR_24_BIT_LIMIT);
        List<Long> played = player.log.video().stream()
                .filter(m -> !m.sequenceHeader())
                .map(PeerLog.Media::timestamp)
                .toList();
        assertAll(
                () -> assertTrue(
                        result.decodedCleanly()
                                && result.frames() >= MIN_FRAMES_VIA_NGINX
                                && publisher.log.errors.isEmpty(),
                        () -> result + "\npublisher: " + publisher.log.summary() + "\n" + nginx.errorLogText()),
                () -> assertTrue(
                        player.log.errors.isEmpty() && played.size() >= MIN_FRAMES_VIA_NGINX, player.log::summary),
                () -> assertTrue(
                        played.stream().allMatch(t -> t > 0xFFFFFFL && published.contains(t)),
                        () -> "played " + played + " not all among the published " + published),
                () -> assertTimestampsNonDecreasingPerChunkStream(player.log));
    }

    /** The timestamps of the non-sequence-header video tags of {@code flv}, plus {@code offset}. */
    private static Set<Long> videoTimestamps(Path flv, long offset) throws IOException {
        Set<Long> timestamps = new HashSet<>();
        ByteBuf file = Unpooled.wrappedBuffer(Files.readAllBytes(flv));
        try (FlvReader reader = FlvReader.of(file)) {
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                try {
                    if (tag.type() == FlvTag.VIDEO && !VideoTags.isSequenceHeader(tag.data())) {
                        timestamps.add(tag.timestamp() + offset);
                    }
                } finally {
                    tag.release();
                }
            }
        } finally {
            file.release();
        }
        return timestamps;
    }

    // --- fixtures ---

    private TestRtmpServer server(int chunkSize, Path playFile) {
        return track(new TestRtmpServer(group, chunkSize, playFile));
    }

    private NginxRtmp nginx() {
        return track(NginxRtmp.builder(dir.resolve("nginx")).waitKey(true).start());
    }

    /** Our client publishing {@link TestMedia#small()} to nginx at chunk size 4096, once nginx confirms. */
    private TestRtmpClient publishTo(
            NginxRtmp nginx, String stream, HandshakeMode mode, long timestampOffset, boolean fullHeaderOnKeyframes) {
        TestRtmpClient publisher = track(TestRtmpClient.publisher(
                NginxRtmp.APP, stream, TestMedia.small(), 4096, timestampOffset, fullHeaderOnKeyframes));
        publisher.connect(group, nginx.port(), mode);
        Awaitility.await("nginx answers publish with NetStream.Publish.Start")
                .atMost(CONNECT_WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        publisher.playout != null || !publisher.log.errors.isEmpty() || !publisher.channel.isActive());
        assertTrue(publisher.playout != null, () -> publisher.log.summary() + "\n" + nginx.errorLogText());
        return publisher;
    }

    private <T> T track(T resource) {
        if (resource instanceof TestRtmpClient client) {
            resources.add(client::close);
        } else {
            resources.add((AutoCloseable) resource);
        }
        return resource;
    }

    private TestRtmpServer.Session awaitPublishedMedia(TestRtmpServer server, Supplier<String> peer) {
        TestRtmpServer.Session session = server.awaitConnected(CONNECT_WAIT);
        awaitMedia(session.log, peer);
        return session;
    }

    /** Waits for two seconds of video (or an error); then asserts there was no error. */
    private static void awaitMedia(PeerLog log, Supplier<String> peer) {
        Awaitility.await("two seconds of video")
                .atMost(MEDIA_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log.videoMillis() >= TWO_SECONDS || !log.errors.isEmpty());
        assertTrue(log.errors.isEmpty(), () -> log.summary() + "\n" + peer.get());
    }

    /** Metadata first, then the AVC and AAC sequence headers, then a keyframe; timestamps in order. */
    private static void assertPublishedStreamShape(PeerLog log) {
        List<PeerLog.Media> media = log.media;
        List<PeerLog.Media> video = log.video();
        List<PeerLog.Media> audio = log.audio();
        List<PeerLog.Media> frames =
                video.stream().filter(m -> !m.sequenceHeader()).toList();
        assertAll(
                () -> assertTrue(
                        media.get(0).isData()
                                && DataMessages.SET_DATA_FRAME.equals(
                                        media.get(0).dataValues().get(0))
                                && DataMessages.ON_META_DATA.equals(
                                        media.get(0).dataValues().get(1)),
                        log::summary),
                () -> assertTrue(video.get(0).sequenceHeader(), log::summary),
                () -> assertTrue(audio.get(0).sequenceHeader(), log::summary),
                () -> assertTrue(frames.get(0).keyframe(), log::summary),
                () -> assertTrue(frames.size() >= 50, log::summary),
                () -> assertTrue(log.videoMillis() >= TWO_SECONDS, log::summary),
                () -> assertTimestampsNonDecreasing("video", video),
                () -> assertTimestampsNonDecreasing("audio", audio),
                () -> assertTimestampsNonDecreasingPerChunkStream(log));
    }

    private static void assertTimestampsNonDecreasing(String what, List<PeerLog.Media> media) {
        for (int i = 1; i < media.size(); i++) {
            int at = i;
            assertTrue(
                    media.get(i).timestamp() >= media.get(i - 1).timestamp(),
                    () -> what + " timestamp goes back at " + at + ": " + media.subList(Math.max(0, at - 3), at + 1));
        }
    }

    private static void assertTimestampsNonDecreasingPerChunkStream(PeerLog log) {
        for (Map.Entry<Integer, List<Long>> e :
                log.mediaTimestampsByChunkStream().entrySet()) {
            List<Long> ts = e.getValue();
            for (int i = 1; i < ts.size(); i++) {
                int at = i;
                assertTrue(
                        ts.get(i) >= ts.get(i - 1),
                        () -> "chunk stream " + e.getKey() + " timestamp goes back at " + at + ": "
                                + ts.subList(Math.max(0, at - 3), at + 1));
            }
        }
    }

    /** nginx announces a window; once that many bytes arrived we must have acknowledged. */
    private static void assertAcknowledgedWhenDue(PeerLog log) {
        long window = log.acknowledgementWindow.get();
        assertTrue(window > 0, () -> "nginx announced no acknowledgement window: " + log.summary());
        if (log.bytesReceived.get() >= window) {
            assertTrue(log.acknowledgementsSent.get() >= 1, log::summary);
        }
    }

    /** nginx logs each publish in its error log at level info. */
    private static void awaitNginxPublishing(NginxRtmp nginx, String stream) {
        Pattern publish = Pattern.compile("publish: name='" + Pattern.quote(stream) + "'");
        Awaitility.await("nginx logs a publisher for " + stream)
                .atMost(CONNECT_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> publish.matcher(nginx.errorLogText()).find());
    }

    /** Players hang up abruptly (a reset is normal); what must not happen is a codec error. */
    private static boolean noCodecErrors(TestRtmpServer server) {
        return server.sessions().stream()
                .flatMap(s -> s.log.errors.stream())
                .noneMatch(e -> e instanceof RtmpCodecException);
    }

    private static String serverSummary(TestRtmpServer server) {
        StringBuilder sb = new StringBuilder();
        for (TestRtmpServer.Session s : server.sessions()) {
            sb.append("session: ").append(s.log.summary()).append('\n');
        }
        return sb.toString();
    }
}
