package io.github.rtmpedge.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.rtmpedge.edge.security.AuthAction;
import io.github.rtmpedge.edge.security.AuthReason;
import io.github.rtmpedge.edge.transport.Transports;
import io.github.rtmpedge.rtmp.command.StatusCode;
import io.github.rtmpedge.testkit.Ffmpeg;
import io.github.rtmpedge.testkit.FreePorts;
import io.github.rtmpedge.testkit.ManagedProcess;
import io.github.rtmpedge.testkit.TestMedia;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SRS-style HTTP hooks against an HTTP server in the test: answers that allow ({@code 0},
 * {@code {"code":0}}) and refuse, a hook that does not answer in time (fail closed, and fail open
 * on a second server), a hook that cannot be reached, and the on_unpublish/on_stop notifications
 * with SRS's fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpHooksRealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private ExecutorService hookThreads;
    private HttpServer hooks;
    private LogCapture logs;
    private EdgeUnderTest edge;
    private EventLoopGroup clientGroup;
    private int deadPort;

    @BeforeAll
    void start() throws IOException {
        hookThreads = Executors.newCachedThreadPool();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        hooks.setExecutor(hookThreads);
        answer("/zero", "0");
        answer("/json", "{\"code\":0,\"msg\":\"ok\"}");
        answer("/deny", "{\"code\":403}");
        answer("/notify", "0");
        hooks.createContext("/slow", exchange -> {
            record(exchange);
            try {
                releaseSlow.await(30, TimeUnit.SECONDS); // answers only when the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, "0");
        });
        hooks.start();
        deadPort = FreePorts.pick();
        logs = new LogCapture();
        edge = EdgeUnderTest.start(dir.resolve("edge"), security(false));
        clientGroup = Transports.newGroup(1, "hook-client");
    }

    private String security(boolean failOpen) {
        String base = "http://127.0.0.1:" + hooks.getAddress().getPort();
        return String.join(
                "\n",
                "security {",
                "  hook_timeout = 400ms",
                "  hook_fail_open = " + (failOpen ? "on" : "off"),
                "  apps {",
                "    ok { http_hooks { on_connect = [\"" + base + "/zero\"], on_publish = [\"" + base + "/zero\", \""
                        + base + "/json\"],",
                "         on_play = [\"" + base + "/json\"], on_unpublish = [\"" + base + "/notify\"], on_stop = [\""
                        + base + "/notify\"] } }",
                "    denied.http_hooks.on_play = [\"" + base + "/zero\", \"" + base + "/deny\"]",
                "    slow.http_hooks { on_play = [\"" + base + "/slow\"], on_publish = [\"" + base + "/slow\"] }",
                "    dead.http_hooks.on_play = [\"http://127.0.0.1:" + deadPort + "/gone\"]",
                "    noconnect.http_hooks.on_connect = [\"" + base + "/deny\"]",
                "  }",
                "}");
    }

    private void answer(String path, String body) {
        hooks.createContext(path, exchange -> {
            record(exchange);
            reply(exchange, body);
        });
    }

    private void record(HttpExchange exchange) throws IOException {
        bodies.add(exchange.getRequestURI().getPath() + " "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    void stop() {
        releaseSlow.countDown();
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (edge != null) {
            edge.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        if (hookThreads != null) {
            hookThreads.shutdownNow();
        }
        if (logs != null) {
            logs.close();
        }
    }

    /** What {@code path} received for {@code action} about app ok and stream cam (or, for on_connect, app ok). */
    private List<String> bodiesOf(String path, String action) {
        return bodies.stream()
                .filter(b -> b.startsWith(path + " ")
                        && b.contains("\"action\":\"" + action + "\"")
                        && b.contains("\"app\":\"ok\"")
                        && !b.contains("\"stream\":\"ff\""))
                .toList();
    }

    /** The hook latency histogram's timer of {@code action} and {@code result}. */
    private io.micrometer.core.instrument.Timer hookTimer(String action, String result) {
        return edge.server()
                .metrics()
                .registry()
                .get(io.github.rtmpedge.edge.metrics.EdgeMeters.HOOK_DURATION.meterName())
                .tags("action", action, "result", result)
                .timer();
    }

    private double rejections(AuthAction action, AuthReason reason) {
        return edge.server().rtmp().meters().refusals().refusals(action, reason);
    }

    @Test
    void allowingHooksLetPublishAndPlayStartAndTheNotificationsCarrySrsFields() {
        try (StatusProbe publisher = StatusProbe.publish(clientGroup, edge.port(), "ok", "cam?sign=abc&x=1")) {
            Awaitility.await("publish starts")
                    .atMost(WAIT)
                    .until(() -> publisher.codes().contains(StatusCode.PUBLISH_START.code()));
            try (StatusProbe player = StatusProbe.play(clientGroup, edge.port(), "ok", "cam")) {
                Awaitility.await("play starts")
                        .atMost(WAIT)
                        .until(() -> player.codes().contains(StatusCode.PLAY_START.code()));
            }
            Awaitility.await("on_stop")
                    .atMost(WAIT)
                    .until(() -> !bodiesOf("/notify", "on_stop").isEmpty());
        }
        Awaitility.await("on_unpublish")
                .atMost(WAIT)
                .until(() -> !bodiesOf("/notify", "on_unpublish").isEmpty());

        String connect = bodiesOf("/zero", "on_connect").get(0);
        assertTrue(
                connect.contains("\"app\":\"ok\"")
                        && connect.contains("\"vhost\":\"__defaultVhost__\"")
                        && connect.contains("\"tcUrl\":\"rtmp://127.0.0.1:" + edge.port() + "/ok\"")
                        && connect.contains("\"ip\":\"127.0.0.1\""),
                connect);
        assertEquals(1, bodiesOf("/zero", "on_publish").size(), bodies.toString());
        String publish = bodiesOf("/json", "on_publish").get(0);
        assertTrue(publish.contains("\"stream\":\"cam\"") && publish.contains("\"param\":\"?sign=abc&x=1\""), publish);
        assertEquals(1, bodiesOf("/json", "on_play").size(), bodies.toString());
        String unpublish = bodiesOf("/notify", "on_unpublish").get(0);
        assertTrue(
                unpublish.contains("\"app\":\"ok\"")
                        && unpublish.contains("\"stream\":\"cam\"")
                        && unpublish.contains("\"client_id\":\""),
                unpublish);
        String stop = bodiesOf("/notify", "on_stop").get(0);
        assertTrue(stop.contains("\"stream\":\"cam\"") && stop.contains("\"ip\":\"127.0.0.1\""), stop);
        assertTrue(logs.lines().stream().noneMatch(l -> l.contains("sign=abc")), "the hook param is never logged");
    }

    @Test
    void ffmpegPublishesThroughAnAllowingHook() {
        Ffmpeg ffmpeg = new Ffmpeg(dir.resolve("logs"));
        try (ManagedProcess publisher =
                ffmpeg.publish("rtmp://127.0.0.1:" + edge.port() + "/ok/ff", TestMedia.small(), true)) {
            logs.await(Pattern.compile("stream ok/ff source attached: publisher"), WAIT);
            assertTrue(publisher.isAlive(), publisher::describe);
        }
    }

    @Test
    void refusingHookFailsThePlay() {
        double before = rejections(AuthAction.PLAY, AuthReason.HOOK_DENIED);
        long timed = hookTimer("play", "denied").count();
        refusedPlay("denied", "s", "hook_denied");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.HOOK_DENIED));
        assertEquals(timed + 1, hookTimer("play", "denied").count());
    }

    @Test
    void hookThatDoesNotAnswerInTimeRefusesWhenFailingClosed() {
        double before = rejections(AuthAction.PLAY, AuthReason.HOOK_TIMEOUT);
        io.micrometer.core.instrument.Timer timer = hookTimer("play", "timeout");
        long timed = timer.count();
        double timedSeconds = timer.totalTime(TimeUnit.SECONDS);
        long started = System.nanoTime();
        refusedPlay("slow", "s", "hook_timeout");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis >= 350 && millis < 5000, "refused after the 400 ms hook_timeout, took " + millis + " ms");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.HOOK_TIMEOUT));
        // the histogram saw the wait: about hook_timeout
        double took = timer.totalTime(TimeUnit.SECONDS) - timedSeconds;
        assertEquals(timed + 1, timer.count());
        assertTrue(took >= 0.35 && took < 5, "hook timed at " + took + " s");
    }

    @Test
    void unreachableHookIsAnErrorThatRefuses() {
        double before = rejections(AuthAction.PLAY, AuthReason.HOOK_ERROR);
        refusedPlay("dead", "s", "hook_error");
        assertEquals(before + 1, rejections(AuthAction.PLAY, AuthReason.HOOK_ERROR));
    }

    @Test
    void refusedConnectGetsConnectRejected() {
        double before = rejections(AuthAction.CONNECT, AuthReason.HOOK_DENIED);
        try (StatusProbe probe = StatusProbe.play(clientGroup, edge.port(), "noconnect", "s")) {
            assertEquals(List.of(StatusCode.CONNECT_REJECTED.code()), probe.codesWhenClosed(WAIT));
        }
        logs.await(Pattern.compile("connect noconnect refused: hook_denied"), WAIT);
        assertEquals(before + 1, rejections(AuthAction.CONNECT, AuthReason.HOOK_DENIED));
    }

    @Test
    @SuppressWarnings("try") // the probe's connection only has to stay open while the hook is asked
    void publisherThatLeavesWhileItsHookIsPendingLeavesNothingBehind() {
        int slowCalls = (int) bodies.stream()
                .filter(b -> b.startsWith("/slow ") && b.contains("on_publish"))
                .count();
        try (StatusProbe probe = StatusProbe.publish(clientGroup, edge.port(), "slow", "gone")) {
            Awaitility.await("the hook is asked")
                    .atMost(WAIT)
                    .until(() -> bodies.stream()
                                    .filter(b -> b.startsWith("/slow ") && b.contains("on_publish"))
                                    .count()
                            > slowCalls);
        }
        // The decision (a timeout) still arrives; the closed connection must not publish then.
        logs.await(Pattern.compile("the decision on publish slow/gone came after the connection closed"), WAIT);
        assertTrue(
                edge.server().streams().streams().stream()
                        .noneMatch(s -> s.key().name().equals("gone")),
                "no stream registered for a publisher that left");
        assertTrue(logs.lines().stream().noneMatch(l -> l.contains("publishing slow/gone")), logs::dump);
    }

    @Test
    void hookThatDoesNotAnswerInTimeAllowsWhenFailingOpen() {
        try (EdgeUnderTest open = EdgeUnderTest.start(dir.resolve("open"), security(true));
                StatusProbe probe = StatusProbe.play(clientGroup, open.port(), "slow", "s")) {
            Awaitility.await("play starts")
                    .atMost(WAIT)
                    .until(() -> probe.codes().contains(StatusCode.PLAY_START.code()));
            logs.await(Pattern.compile("allowed because security.hook_fail_open = on"), WAIT);
        }
    }

    private void refusedPlay(String app, String stream, String reason) {
        StatusProbe.assertPlayRefused(clientGroup, edge.port(), app, stream, reason, logs, WAIT);
    }
}
