package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live console in a real browser: headless Chromium opens {@code /console/} on the API port,
 * sees the published stream listed, plays it over HTTP-FLV with the mpegts.js the build packed,
 * and the video element's time advances. A screenshot is kept in target/console-screenshot.png.
 */
class ConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String ROW = "document.querySelector('tr[data-stream=\"live/console\"]')";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    @Test
    void chromiumSeesTheStreamAndPlaysItOverHttpFlv() throws Exception {
        try (LogCapture logs = new LogCapture();
                EdgeUnderTest edge = EdgeUnderTest.start(
                        dir.resolve("edge"),
                        "http_api { enabled = on, listen = \"127.0.0.1:0\" }\n"
                                + "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n");
                ManagedProcess publisher =
                        new Ffmpeg(dir.resolve("logs")).publish(edge.rtmpUrl("console"), TestMedia.small(), true);
                HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            logs.await(Pattern.compile("stream live/console source attached"), WAIT);
            assertTrue(publisher.isAlive(), publisher::describe);
            chromium.navigate("http://127.0.0.1:" + edge.server().httpAddress().getPort() + "/console/");
            Awaitility.await("the console lists live/console")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Boolean.TRUE.equals(chromium.evaluate(ROW + " !== null")));
            assertEquals("object", chromium.evaluate("typeof mpegts"), "mpegts.js came from the edge itself");

            chromium.evaluate(ROW + ".querySelector('button').click()");
            Awaitility.await("the video plays")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> number(chromium.evaluate("document.getElementById('video').currentTime")) > 1.0);
            double first = number(chromium.evaluate("document.getElementById('video').currentTime"));
            Awaitility.await("the video's time advances")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            number(chromium.evaluate("document.getElementById('video').currentTime")) > first + 2.0);
            assertEquals(
                    320.0, number(chromium.evaluate("document.getElementById('video').videoWidth")), "decoded frames");
            logs.await(Pattern.compile("stream live/console player joined: HTTP-FLV player"), WAIT);

            byte[] png = chromium.screenshot();
            Path shot = Path.of("target", "console-screenshot.png");
            Files.write(shot, png);
            System.out.println("[console] screenshot " + shot.toAbsolutePath() + " (" + png.length
                    + " bytes), video at " + chromium.evaluate("document.getElementById('video').currentTime") + " s");
            assertTrue(png.length > 10_000, "a screenshot with content");
        }
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : -1;
    }
}
