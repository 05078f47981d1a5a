package io.github.rtmpedge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures against the real programs: one nginx origin fed by a looping ffmpeg publisher,
 * played by each client implementation in turn.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPeersTest {

    private static final Duration PUBLISH_STARTS = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private NginxRtmp origin;
    private ManagedProcess publisher;
    private Ffmpeg ffmpeg;

    @BeforeAll
    void startOriginAndPublisher() {
        ffmpeg = new Ffmpeg(dir.resolve("logs"));
        origin = NginxRtmp.builder(dir.resolve("origin")).waitKey(true).start();
        publisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
        awaitPublishing(origin, "s1");
    }

    @AfterAll
    void stopAll() {
        if (publisher != null) {
            publisher.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void smallTestMediaHasVideoAndAudioPackets() {
        PacketCounts counts = Ffmpeg.probePackets(TestMedia.small());

        // 10 s at 25 fps; AAC at 44.1 kHz is ~43 frames a second.
        assertEquals(250, counts.video(), counts.toString());
        assertTrue(counts.audio() > 400, counts.toString());
    }

    @Test
    void ffmpegPlaysFromTheOriginAndDecodesWithoutErrors() {
        Ffmpeg.PlayResult result = ffmpeg.play(origin.rtmpUrl("s1"), Duration.ofSeconds(2));

        assertTrue(result.decodedCleanly(), () -> result + "\n" + publisher.describe());
    }

    @Test
    void rtmpdumpRecordsPacketsFromTheOrigin() {
        Rtmpdump rtmpdump = new Rtmpdump(dir.resolve("logs"));

        Rtmpdump.RecordResult result =
                rtmpdump.play(origin.rtmpUrl("s1"), dir.resolve("rtmpdump.flv"), Duration.ofSeconds(2));

        assertTrue(result.packets().video() > 10 && result.packets().audio() > 10, result::toString);
    }

    @Test
    void gstreamerPlaysFromTheOrigin() {
        Gstreamer gst = new Gstreamer(dir.resolve("logs"));

        Gstreamer.PlayResult result = gst.play(origin.rtmpUrl("s1"), 30, Duration.ofSeconds(20));

        assertTrue(result.succeeded(), result::toString);
    }

    @Test
    void gstreamerPublishesToTheOrigin() {
        Gstreamer gst = new Gstreamer(dir.resolve("logs"));
        try (ManagedProcess gstPublisher = gst.publish(origin.rtmpUrl("g1"), TestMedia.small())) {
            awaitPublishing(origin, "g1");

            Ffmpeg.PlayResult result = ffmpeg.play(origin.rtmpUrl("g1"), Duration.ofSeconds(1));

            assertTrue(result.frames() > 0, () -> result + "\n" + gstPublisher.describe());
        }
    }

    @Test
    void nginxRelayEdgePullsFromTheOrigin() {
        try (NginxRtmp edge = NginxRtmp.builder(dir.resolve("edge"))
                .pull("rtmp://127.0.0.1:" + origin.port() + "/" + NginxRtmp.APP)
                .waitKey(true)
                .start()) {
            // The relay connects on the first play and waits for a keyframe (one a second): 3 s leave
            // room for a busy machine, where 1 s sometimes ended before the first frame.
            Ffmpeg.PlayResult result = ffmpeg.play(edge.rtmpUrl("s1"), Duration.ofSeconds(3));

            assertTrue(result.frames() > 0, () -> result + "\n" + edge.errorLogText());
        }
    }

    @Test
    void nginxRestartsOnTheSamePort() throws Exception {
        try (NginxRtmp nginx =
                NginxRtmp.builder(dir.resolve("restart")).chunkSize(128).start()) {
            int port = nginx.port();
            long firstPid = nginx.process().pid();

            nginx.restart();

            assertEquals(port, nginx.port());
            assertNotEquals(firstPid, nginx.process().pid());
            assertTrue(FreePorts.isAccepting(port), nginx::errorLogText);
            assertTrue(Files.readString(nginx.configFile()).contains("chunk_size 128;"));
        }
    }

    /** nginx logs each publish in its error log at level info. */
    private static void awaitPublishing(NginxRtmp nginx, String stream) {
        Pattern publish = Pattern.compile("publish: name='" + Pattern.quote(stream) + "'");
        org.awaitility.Awaitility.await("nginx logs a publisher for " + stream)
                .atMost(PUBLISH_STARTS)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> publish.matcher(nginx.errorLogText()).find());
    }
}
