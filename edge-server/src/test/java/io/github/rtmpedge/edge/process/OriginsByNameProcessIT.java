package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * An origin given as a host name with two addresses, as a Kubernetes headless Service gives one
 * address per origin pod: nginx-rtmp on 127.0.0.1:P and on 127.0.0.2:P, both carrying the stream,
 * and one name for both. The JVM reads {@code jdk.net.hosts.file} once, when name resolution starts,
 * so the name exists only in a forked edge process (the real jar). When the address in use hangs
 * (SIGSTOP), the edge goes to the name's other address, and the player never notices.
 */
class OriginsByNameProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAME = "origins.rtmp-edge.test";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private NginxRtmp hung;

    @AfterEach
    void closeEverything() throws Exception {
        if (hung != null && hung.isRunning()) {
            hung.process().signal("CONT"); // a stopped process would only die on SIGKILL after the grace
        }
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void theAddressesOfOneNameAreOriginsToFailOverBetween() throws Exception {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        int port = FreePorts.pick();
        NginxRtmp one = start(NginxRtmp.builder(dir.resolve("origin-1"))
                .host("127.0.0.1")
                .port(port)
                .waitKey(true));
        NginxRtmp two = start(NginxRtmp.builder(dir.resolve("origin-2"))
                .host("127.0.0.2")
                .port(port)
                .waitKey(true));
        for (NginxRtmp origin : List.of(one, two)) {
            ManagedProcess publisher = ffmpeg.publish(origin.rtmpUrl("s1"), TestMedia.small(), true);
            resources.push(publisher);
            Awaitility.await("the encoder publishes to " + origin.host())
                    .atMost(WAIT)
                    .until(() -> origin.errorLogText().contains("publish: name='s1'"));
        }
        Path hosts = dir.resolve("hosts");
        Files.writeString(
                hosts,
                "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName() + "\n"
                        + "127.0.0.1 " + NAME + "\n"
                        + "127.0.0.2 " + NAME + "\n",
                StandardCharsets.US_ASCII);
        EdgeProcess edge = EdgeProcess.startWithOptions(
                "origins-by-name",
                List.of("-Djdk.net.hosts.file=" + hosts),
                "cluster { mode = remote, origin = [\"" + NAME + ":" + port + "\"] }\n");
        resources.push(edge);

        Duration playFor = Duration.ofSeconds(16);
        CompletableFuture<Ffmpeg.PlayResult> player =
                CompletableFuture.supplyAsync(() -> ffmpeg.play(edge.rtmpUrl("s1"), playFor));
        Pattern flowing = Pattern.compile("pull live/s1: media flowing from (127\\.0\\.0\\.[12]):" + port);
        Matcher first = flowing.matcher(edge.awaitLog(flowing, WAIT));
        assertTrue(first.find());
        hung = first.group(1).equals(one.host()) ? one : two;
        // The hang comes once the player decodes video (ffmpeg has found its streams).
        Awaitility.await("the player decodes frames")
                .atMost(WAIT)
                .until(() -> playerLogShowsFrames(dir.resolve("logs")));
        NginxRtmp other = hung == one ? two : one;

        hung.process().signal("STOP");
        long hungAt = System.nanoTime();
        edge.awaitLog(
                Pattern.compile("pull live/s1: media flowing again from " + Pattern.quote(other.host() + ":" + port)),
                WAIT);
        long movedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
        assertTrue(player.getNow(null) == null, "the player was still playing when the edge moved on");
        assertTrue(!edge.logContains("player left"), edge::describe); // the edge kept its player
        System.out.println("MEASURE origins_by_name_hang_to_other_address_ms=" + movedMillis);

        Ffmpeg.PlayResult played = player.get(playFor.plus(Ffmpeg.PLAY_SLACK).toSeconds() + 10, TimeUnit.SECONDS);
        System.out.println("MEASURE origins_by_name_player_frames=" + played.frames() + " of "
                + playFor.toSeconds() * TestMedia.SMALL.fps());
        // ffmpeg plays for a span of stream time: a timestamp thrown forward across the failover
        // (the new origin's data at 0, its frames on the stream's clock) ended it with half the frames.
        long possible = playFor.toSeconds() * TestMedia.SMALL.fps();
        assertTrue(played.frames() >= possible * 3 / 4, () -> "frames " + played.frames() + " of " + possible);
        // The edge tried the name's addresses, never the name itself.
        assertTrue(edge.logContains("attempt 1 to origin " + hung.host() + ":" + port), edge::describe);
        assertTrue(edge.logContains("retrying with " + other.host() + ":" + port), edge::describe);
        assertTrue(movedMillis <= 5000, () -> movedMillis + " ms to the other address\n" + edge.describe());
        assertEquals(0, played.exitCode(), played::toString);
        assertTrue(played.decodedCleanly(), played::toString);
        assertTrue(edge.isAlive());
    }

    private static boolean playerLogShowsFrames(Path logs) throws java.io.IOException {
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("ffmpeg-play"))
                    .toList()) {
                if (Pattern.compile("frame=\\s*[1-9]")
                        .matcher(Files.readString(f, StandardCharsets.UTF_8))
                        .find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private NginxRtmp start(NginxRtmp.Builder builder) {
        NginxRtmp nginx = builder.start();
        resources.push(nginx);
        return nginx;
    }
}
