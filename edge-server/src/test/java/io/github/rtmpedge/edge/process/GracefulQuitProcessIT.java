package io.github.rtmpedge.edge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.NginxRtmp;
import io.github.rtmpedge.testkit.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Graceful quit, fast quit and reload of the real process: {@code java -jar target/edge-server.jar
 * -c FILE} (run by failsafe after {@code package}), driven with real signals ({@code kill}), real
 * players and publishers (ffmpeg) and real origins (nginx-rtmp). See docs/architecture.md, "Graceful quit".
 */
class GracefulQuitProcessIT {

    private static final Path LOGS = EdgeProcess.LOGS;
    private static final Duration PLAY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    /** Allowed difference between a configured wait and the logged phase duration. */
    private static final long PHASE_TOLERANCE_MS = 300;
    /** 25 fps: one second of video. */
    private static final long ONE_SECOND_OF_FRAMES = 25;

    private static final Pattern PHASE = Pattern.compile("phase (\\w+) \\(after (\\w+) (\\d+) ms\\)");
    private static final AtomicInteger NGINX_DIRS = new AtomicInteger();

    private static long classStartNanos;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Ffmpeg ffmpeg = new Ffmpeg(LOGS);

    @BeforeAll
    static void startClock() {
        classStartNanos = System.nanoTime();
        TestMedia.small(); // made once, before any clock in a test runs
    }

    @AfterAll
    static void printWallTime() {
        System.out.printf("GracefulQuitProcessIT wall time: %d ms%n", millisSince(classStartNanos));
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private ManagedProcess publish(String url) {
        return track(ffmpeg.publish(url, TestMedia.small(), true));
    }

    private FfmpegPlayer play(String name, String url) {
        FfmpegPlayer player = track(FfmpegPlayer.start(name, url, LOGS));
        player.awaitFramesAbove(0, PLAY_TIMEOUT);
        return player;
    }

    private NginxRtmp nginx(String name) {
        return track(NginxRtmp.builder(LOGS.resolve(name + "-" + NGINX_DIRS.incrementAndGet()))
                .start());
    }

    /** Polls /readyz as fast as Awaitility allows until it answers 503; returns System.nanoTime() then. */
    private static long awaitNotReady(EdgeProcess edge) {
        Awaitility.await("/readyz answers 503")
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(edge::readyz, status -> status == 503);
        return System.nanoTime();
    }

    /** Phase durations from the log: the phase left ("after X") to its duration in ms. */
    private static Map<String, Long> phaseDurations(EdgeProcess edge) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : edge.log()) {
            Matcher m = PHASE.matcher(line);
            if (m.find()) {
                out.put(m.group(2), Long.parseLong(m.group(3)));
            }
        }
        return out;
    }

    private static void assertPhaseNear(Map<String, Long> phases, String phase, long expectedMs) {
        Long actual = phases.get(phase);
        assertTrue(
                actual != null && Math.abs(actual - expectedMs) <= PHASE_TOLERANCE_MS,
                phase + " lasted " + actual + " ms, configured " + expectedMs + " ms (+/- " + PHASE_TOLERANCE_MS + "); "
                        + phases);
    }

    private static void assertFullGracefulSequence(EdgeProcess edge) {
        assertEquals(
                List.of("running", "drain_requested", "listeners_closed", "draining", "final_wait"),
                List.copyOf(phaseDurations(edge).keySet()),
                "phases in order\n" + edge.describe());
        assertTrue(edge.logContains("stopped; graceful quit took"), edge.describe());
    }

    @Test
    void sigquitWithPlayersDrainsThroughEveryPhaseAndExitsZero() {
        EdgeProcess edge =
                track(EdgeProcess.start("quit-players", "grace_start_wait = 1500ms\ngrace_final_wait = 800ms\n"));
        ManagedProcess publisher = publish(edge.rtmpUrl("quit"));
        FfmpegPlayer first = play("player-quit-1", edge.rtmpUrl("quit"));
        FfmpegPlayer second = play("player-quit-2", edge.rtmpUrl("quit"));
        assertEquals(200, edge.readyz());

        long beforeKill = System.nanoTime();
        edge.signal("QUIT");
        long afterKill = System.nanoTime();
        long notReady = awaitNotReady(edge);
        long acceptingCheckedAt = System.nanoTime();
        boolean acceptingDuringStartWait = FreePorts.isAccepting(edge.rtmpPort());
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(notReady - beforeKill);
        System.out.printf(
                "SIGQUIT -> first /readyz 503: %d ms from before kill(1), %d ms from after kill(1) returned%n",
                latencyMs, TimeUnit.NANOSECONDS.toMillis(notReady - afterKill));
        assertTrue(latencyMs < 100, "/readyz turned 503 " + latencyMs + " ms after the signal");
        assertTrue(
                TimeUnit.NANOSECONDS.toMillis(acceptingCheckedAt - beforeKill) < 1500,
                "checked within grace_start_wait");
        assertTrue(acceptingDuringStartWait, "the RTMP port accepts during grace_start_wait");

        // listeners_closed is followed at once by draining: wait for the second, or the check races it
        edge.awaitLog(Pattern.compile("phase draining"), Duration.ofSeconds(10));
        assertFalse(FreePorts.isAccepting(edge.rtmpPort()), "the RTMP port refuses once the listeners are closed");
        assertTrue(edge.get("/api/v1/summaries").contains("\"phase\":\"draining\""), "summaries say draining");
        first.awaitFramesAbove(first.frames() + ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        second.awaitFramesAbove(second.frames() + ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        assertTrue(edge.isAlive(), "still draining while players play");

        publisher.close();
        first.close();
        second.close();
        assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());
        Map<String, Long> phases = phaseDurations(edge);
        System.out.println("SIGQUIT with players, phases: " + phases);
        assertFullGracefulSequence(edge);
        assertPhaseNear(phases, "drain_requested", 1500);
        assertPhaseNear(phases, "final_wait", 800);
    }

    @Test
    void sigtermWithoutForceGraceQuitExitsWithinOneSecondDespiteAPlayer() {
        EdgeProcess edge = track(EdgeProcess.start(
                "term-fast", "grace_start_wait = 5s\ngrace_final_wait = 5s\nforce_grace_quit = off\n"));
        publish(edge.rtmpUrl("term"));
        play("player-term", edge.rtmpUrl("term"));

        long beforeKill = System.nanoTime();
        edge.signal("TERM");
        int code = edge.awaitExit(EXIT_TIMEOUT);
        long tookMs = millisSince(beforeKill);
        System.out.printf("SIGTERM (force_grace_quit off) -> exit: %d ms%n", tookMs);
        assertEquals(0, code, edge.describe());
        assertTrue(tookMs < 1000, "exited " + tookMs + " ms after SIGTERM");
        assertTrue(edge.logContains("fast quit requested by SIGTERM (force_grace_quit off)"), edge.describe());
        assertFalse(edge.logContains("phase drain_requested"), edge.describe());
    }

    @Test
    void sigtermWithForceGraceQuitIsGraceful() {
        EdgeProcess edge = track(EdgeProcess.start(
                "term-graceful", "grace_start_wait = 500ms\ngrace_final_wait = 300ms\nforce_grace_quit = on\n"));
        edge.signal("TERM");
        awaitNotReady(edge);
        assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());
        assertTrue(edge.logContains("graceful quit requested by SIGTERM (force_grace_quit on)"), edge.describe());
        assertFullGracefulSequence(edge);
        assertPhaseNear(phaseDurations(edge), "drain_requested", 500);
    }

    /** SIGINT, and SIGTERM without force_grace_quit, cut a graceful quit short (docs/architecture.md, "Graceful quit"). */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aFastQuitSignalDuringADrainQuitsFast(String signal) {
        EdgeProcess edge = track(EdgeProcess.start(
                "fast-mid-drain-" + signal,
                "grace_start_wait = 30s\ngrace_final_wait = 30s\nforce_grace_quit = off\n"));
        publish(edge.rtmpUrl("mid"));
        play("player-mid-" + signal, edge.rtmpUrl("mid"));
        edge.signal("QUIT");
        awaitNotReady(edge);
        edge.awaitLog(Pattern.compile("phase drain_requested"), Duration.ofSeconds(5));

        long beforeKill = System.nanoTime();
        edge.signal(signal);
        int code = edge.awaitExit(EXIT_TIMEOUT);
        long tookMs = millisSince(beforeKill);
        System.out.printf("SIG%s during drain_requested -> exit: %d ms%n", signal, tookMs);
        assertEquals(0, code, edge.describe());
        assertTrue(tookMs < 1500, "exited " + tookMs + " ms after SIG" + signal);
        Pattern cutShort = Pattern.compile(
                "fast quit requested by SIG" + signal + ".* during the graceful quit \\(drain_requested\\)");
        assertTrue(edge.outputMatches(cutShort), edge.describe());
        assertFalse(edge.logContains("phase listeners_closed"), edge.describe());
    }

    /**
     * Six clients that never leave: a publisher with a decoding player, and four players waiting for
     * a stream nobody publishes. The server closes them 0, 400, ... 2000 ms after drain_timeout, in
     * random order. Closing the publisher also ends its player (UnpublishNotify), so at most one
     * client leaves before its turn and the last to go leaves at least 1600 ms after the first.
     */
    @Test
    void drainTimeoutClosesTheRemainingConnectionsSpreadOverDrainSpread() {
        EdgeProcess edge = track(EdgeProcess.start(
                "drain-timeout",
                "grace_start_wait = 0ms\ngrace_final_wait = 0ms\ndrain_timeout = 2s\ndrain_spread = 2s\n"));
        ManagedProcess publisher = publish(edge.rtmpUrl("stay"));
        List<CompletableFuture<Long>> exits = new ArrayList<>();
        exits.add(ProcessHandle.of(publisher.pid()).orElseThrow().onExit().thenApply(h -> System.nanoTime()));
        exits.add(play("player-stay", edge.rtmpUrl("stay")).exitedAtNanos());
        for (int i = 1; i <= 4; i++) {
            exits.add(track(FfmpegPlayer.start("player-waiting-" + i, edge.rtmpUrl("waiting"), LOGS))
                    .exitedAtNanos());
        }
        Awaitility.await("6 clients connected")
                .atMost(PLAY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> edge.get("/api/v1/summaries"), body -> body.contains("\"active\":6"));

        long quitAt = System.nanoTime();
        edge.signal("QUIT");
        Awaitility.await("every client is closed by the server")
                .atMost(Duration.ofSeconds(15))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> exits.stream().allMatch(CompletableFuture::isDone));
        assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());

        List<Long> closedAfterMs = new ArrayList<>();
        exits.forEach(f -> closedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(f.join() - quitAt)));
        Collections.sort(closedAfterMs);
        System.out.println("drain_timeout 2s, drain_spread 2s: clients gone at " + closedAfterMs + " ms after SIGQUIT");
        assertTrue(closedAfterMs.get(0) >= 1800, "nobody is closed before drain_timeout: " + closedAfterMs);
        long spreadMs = closedAfterMs.get(closedAfterMs.size() - 1) - closedAfterMs.get(0);
        assertTrue(spreadMs >= 1400 && spreadMs <= 3000, "closes spread over drain_spread: " + closedAfterMs);
        assertTrue(
                edge.logContains("drain_timeout (2000 ms) reached: closing the 6 remaining connections over 2000 ms"),
                edge.describe());
        Matcher done = Pattern.compile("drain done: 6 connections closed by the server over (\\d+) ms")
                .matcher(String.join("\n", edge.log()));
        assertTrue(done.find() && Long.parseLong(done.group(1)) >= 1500, edge.describe());
    }

    /**
     * SIGQUIT with HTTP-FLV players (curl) beside an RTMP player: the HTTP-FLV listener refuses new
     * connections with the RTMP ones, the players play on through the drain, and drain_timeout ends
     * each HTTP-FLV body cleanly (the last chunk: curl exits 0, where a cut body makes it exit 18)
     * with what its merged write held; the process exits 0.
     */
    @Test
    void sigquitDrainsHttpFlvPlayersLikeRtmpPlayers() throws IOException {
        EdgeProcess edge = track(
                EdgeProcess.start(
                        "quit-flv",
                        "http_server { enabled = on, listen = \"127.0.0.1:0\" }\n"
                                + "grace_start_wait = 300ms\ngrace_final_wait = 300ms\ndrain_timeout = 3s\ndrain_spread = 500ms\n"));
        Matcher listening = Pattern.compile("HTTP-FLV listening on /[^ ]*:(\\d+)")
                .matcher(edge.process().awaitOutput(Pattern.compile("HTTP-FLV listening on"), PLAY_TIMEOUT));
        assertTrue(listening.find());
        int flvPort = Integer.parseInt(listening.group(1));
        String flvUrl = "http://127.0.0.1:" + flvPort + "/live/quitflv.flv";
        publish(edge.rtmpUrl("quitflv"));
        FfmpegPlayer rtmp = play("player-quitflv", edge.rtmpUrl("quitflv"));
        List<ManagedProcess> curls = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path file = LOGS.resolve("quitflv-" + i + "-" + System.nanoTime() + ".flv");
            files.add(file);
            curls.add(track(ManagedProcess.start(
                    "curl-quitflv-" + i, LOGS, "curl", "-sS", "--max-time", "60", "-o", file.toString(), flvUrl)));
        }
        Awaitility.await("both HTTP-FLV players get media")
                .atMost(PLAY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> files.stream().allMatch(f -> size(f) > 50_000));

        edge.signal("QUIT");
        edge.awaitLog(Pattern.compile("phase draining"), Duration.ofSeconds(10));
        assertFalse(FreePorts.isAccepting(flvPort), "the HTTP-FLV port refuses once the listeners are closed");
        long[] during = files.stream().mapToLong(GracefulQuitProcessIT::size).toArray();
        rtmp.awaitFramesAbove(rtmp.frames() + ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        Awaitility.await("the HTTP-FLV players play on while draining")
                .atMost(PLAY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> size(files.get(0)) > during[0] + 20_000 && size(files.get(1)) > during[1] + 20_000);

        List<Integer> curlExits = new ArrayList<>();
        for (ManagedProcess curl : curls) {
            curlExits.add(curl.awaitExit(PLAY_TIMEOUT));
        }
        assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());
        System.out.println("SIGQUIT with HTTP-FLV players: curl exit codes " + curlExits + ", bodies "
                + files.stream().map(GracefulQuitProcessIT::size).toList() + " bytes");
        assertEquals(List.of(0, 0), curlExits, "each HTTP-FLV body ended cleanly");
        assertTrue(
                edge.logContains("drain_timeout (3000 ms) reached: closing the 4 remaining connections"),
                edge.describe());
        assertTrue(edge.outputMatches(Pattern.compile("HTTP-FLV player of live/quitflv, drained")), edge.describe());
        for (Path file : files) {
            ManagedProcess decode = ManagedProcess.start(
                    "decode-quitflv", LOGS, "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-");
            assertEquals(0, decode.awaitExit(PLAY_TIMEOUT), decode.outputLines()::toString);
            decode.close();
        }
        assertFullGracefulSequence(edge);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void twentyConsecutiveSigquitsAllExitZeroWithoutAThreadDump() {
        List<Integer> codes = new ArrayList<>();
        List<String> dumped = new ArrayList<>();
        long start = System.nanoTime();
        for (int run = 1; run <= 20; run++) {
            try (EdgeProcess edge =
                    EdgeProcess.start("quit-run-" + run, "grace_start_wait = 0ms\ngrace_final_wait = 10ms\n")) {
                edge.signal("QUIT");
                codes.add(edge.awaitExit(EXIT_TIMEOUT));
                if (edge.logContains("Full thread dump")) {
                    dumped.add(edge.process().logFile().toString());
                }
            }
        }
        System.out.printf("20 SIGQUIT runs: exit codes %s, %d ms%n", codes, millisSince(start));
        assertEquals(Collections.nCopies(20, 0), codes);
        assertEquals(List.of(), dumped, "runs that printed a thread dump");
    }

    @Test
    void sighupReloadsTheOriginListWithoutDroppingPlayers() {
        NginxRtmp a = nginx("origin-a");
        NginxRtmp b = nginx("origin-b");
        publish(a.rtmpUrl("hup"));
        publish(b.rtmpUrl("hup"));
        publish(b.rtmpUrl("hupnew"));
        String originA = "127.0.0.1:" + a.port();
        String originB = "127.0.0.1:" + b.port();
        EdgeProcess edge =
                track(EdgeProcess.start("hup-origins", "cluster { mode = remote, origin = [\"" + originA + "\"] }\n"));
        FfmpegPlayer before = play("player-hup-before", edge.rtmpUrl("hup"));
        assertTrue(edge.logContains("pull live/hup: attempt 1 to origin " + originA), edge.describe());

        edge.rewriteConfig(EdgeProcess.LOOPBACK_PORTS + "cluster { mode = remote, origin = [\"" + originB + "\"] }\n");
        edge.signal("HUP");
        edge.awaitLog(
                Pattern.compile("configuration reloaded from .*; origins now \\[" + Pattern.quote(originB) + "\\]"),
                Duration.ofSeconds(10));
        before.awaitFramesAbove(before.frames() + 2 * ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        assertTrue(before.isAlive(), "the player from before the reload still plays");

        play("player-hup-after", edge.rtmpUrl("hupnew"));
        assertTrue(edge.logContains("pull live/hupnew: attempt 1 to origin " + originB), edge.describe());
        assertFalse(edge.logContains("pull live/hup: attempt 2"), "the old pull was not restarted\n" + edge.describe());
        assertEquals(200, edge.readyz());
    }

    @Test
    void sighupWithABrokenFileKeepsTheRunningConfiguration() {
        EdgeProcess edge = track(EdgeProcess.start("hup-broken", "max_connections = 50\n"));
        publish(edge.rtmpUrl("keep"));
        FfmpegPlayer player = play("player-hup-broken", edge.rtmpUrl("keep"));
        String summariesBefore = edge.get("/api/v1/summaries");
        assertTrue(summariesBefore.contains("\"max\":50"), summariesBefore);

        edge.rewriteConfig(EdgeProcess.LOOPBACK_PORTS + "max_connections = oops\n");
        edge.signal("HUP");
        edge.awaitLog(
                Pattern.compile("reload rejected, the running configuration stays in force"), Duration.ofSeconds(10));
        edge.awaitLog(
                Pattern.compile("max_connections = \"oops\""), Duration.ofSeconds(5)); // the problem, on the next line
        String summariesAfter = edge.get("/api/v1/summaries");
        assertTrue(
                summariesAfter.contains("\"max\":50") && summariesAfter.contains("\"mode\":\"local\""), summariesAfter);
        assertEquals(200, edge.readyz());
        player.awaitFramesAbove(player.frames() + ONE_SECOND_OF_FRAMES, PLAY_TIMEOUT);
        assertFalse(edge.logContains("configuration reloaded"), edge.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"srs-edge.conf", "srs-edge-twin.conf"})
    void srsExampleServesAndSigtermIsGracefulWithForceGraceQuit(String example) throws IOException {
        NginxRtmp origin = nginx("origin-" + example);
        publish(origin.rtmpUrl("srs"));
        int[] ports = FreePorts.pick(3);
        String text = Files.readString(Path.of("..", "config", "examples", example), StandardCharsets.UTF_8)
                .replace("19350", Integer.toString(origin.port()))
                .replace("19351", Integer.toString(ports[2])) // a second origin that is down
                .replace("1985", Integer.toString(ports[1]))
                .replace("1935", Integer.toString(ports[0]));
        EdgeProcess edge = track(EdgeProcess.startWithFile("srs-" + example, EdgeProcess.writeConfig(example, text)));
        assertEquals(ports[0], edge.rtmpPort());
        assertEquals(ports[1], edge.httpPort());
        assertTrue(edge.logContains("force_grace_quit = on"), edge.describe());
        FfmpegPlayer player = play("player-" + example, edge.rtmpUrl("srs"));
        player.close();
        assertEquals(200, edge.readyz());

        edge.signal("TERM");
        awaitNotReady(edge);
        assertEquals(0, edge.awaitExit(EXIT_TIMEOUT), edge.describe());
        assertTrue(edge.logContains("graceful quit requested by SIGTERM (force_grace_quit on)"), edge.describe());
        assertFullGracefulSequence(edge);
        Map<String, Long> phases = phaseDurations(edge);
        assertPhaseNear(phases, "drain_requested", 700); // grace_start_wait 700 (ms in SRS's units)
        assertPhaseNear(phases, "final_wait", 800);
    }

    @Test
    void jcmdThreadPrintStillDumpsAndDoesNotQuit() {
        EdgeProcess edge = track(EdgeProcess.start("jcmd-target", ""));
        ManagedProcess jcmd = track(ManagedProcess.builder(
                        "jcmd-thread-print",
                        List.of(
                                EdgeProcess.java().resolveSibling("jcmd").toString(),
                                Long.toString(edge.pid()),
                                "Thread.print"))
                .logDir(LOGS)
                .tailLines(10_000)
                .start());
        assertEquals(0, jcmd.awaitExit(Duration.ofSeconds(60)), jcmd.describe());
        assertTrue(jcmd.outputContains(Pattern.compile("Full thread dump")), jcmd.describe());
        Awaitility.await("/readyz stays 200")
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(edge::readyz, status -> status == 200);
        assertFalse(edge.logContains("graceful quit requested"), edge.describe());
        assertTrue(edge.isAlive(), edge.describe());
    }
}
