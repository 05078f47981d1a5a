package io.github.rtmpedge.bench.load;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load client's publish mode against a real nginx-rtmp: three streams from one FLV file in one
 * process; ffmpeg plays one of them across the file's wrap (10 s file, 13 s played), decoding
 * every frame with increasing timestamps, and every publisher kept real time without running ahead.
 */
class PublishModeIT {

    private static final Path LOGS = Path.of("target", "publish-mode");
    private static final int STREAMS = 3;

    private NginxRtmp origin;
    private LoadClient client;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.stop();
        }
        if (origin != null) {
            origin.close();
        }
        System.out.print(output.toString(StandardCharsets.UTF_8));
    }

    @Test
    void threeStreamsFromOneFileAreLiveAtTheOrigin() throws Exception {
        Files.createDirectories(LOGS);
        origin = NginxRtmp.builder(LOGS.resolve("origin")).start();
        client = LoadClient.start(
                LoadOptions.parse(
                        "--url",
                        "rtmp://127.0.0.1:" + origin.port() + "/" + NginxRtmp.APP,
                        "--stream-prefix",
                        "cam",
                        "--publish",
                        String.valueOf(STREAMS),
                        "--flv",
                        TestMedia.small().toString(),
                        "--duration",
                        "10m",
                        "--threads",
                        "1"),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.snapshot().publishersLive() == STREAMS);

        // 25 fps: 13 s is 325 frames, and crosses the wrap of the 10 s file.
        Ffmpeg.PlayResult play = new Ffmpeg(LOGS).play(origin.rtmpUrl("cam1"), Duration.ofSeconds(13));
        assertTrue(play.decodedCleanly(), "ffmpeg: " + play);
        assertTrue(play.frames() >= 300, "frames decoded: " + play.frames());

        LoadSnapshot result = client.stop();
        List<PublishReport> reports = client.publishReports(System.nanoTime());
        assertEquals(
                List.of("cam0", "cam1", "cam2"),
                reports.stream().map(PublishReport::stream).toList());
        for (PublishReport r : reports) {
            assertTrue(r.keptRealTime(), r.toLine());
            // Paced, not as fast as it can: never more than a frame ahead of the wall clock.
            assertTrue(r.timelineMillis() <= r.wallMillis() + 100, r.toLine());
            assertTrue(r.wallMillis() >= 13_000 && r.messages() > 13 * 25 && r.bytes() > 0, r.toLine());
        }
        assertEquals(STREAMS, result.publishers());
        assertEquals(STREAMS, result.publishersRealTime());
        assertEquals(0, result.failedConnects());
        assertTrue(
                output.toString(StandardCharsets.UTF_8).contains("STREAM name=cam2 "),
                output.toString(StandardCharsets.UTF_8));
    }
}
