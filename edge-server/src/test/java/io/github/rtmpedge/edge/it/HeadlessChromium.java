package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.edge.http.TestJson;
import io.github.rtmpedge.edge.json.Json;
import io.github.rtmpedge.testkit.ManagedProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven through its DevTools protocol over the JDK's WebSocket
 * client: navigate, evaluate JavaScript, take a screenshot. A fresh profile each time; the
 * process is closed with the test.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final ManagedProcess process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(ManagedProcess process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static HeadlessChromium start(Path dir) throws Exception {
        ManagedProcess p = ManagedProcess.start(
                "chromium",
                dir,
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=1280,1000",
                "--remote-debugging-port=0",
                "--user-data-dir=" + dir.resolve("profile"),
                "about:blank");
        try {
            Matcher m = LISTENING.matcher(p.awaitOutput(LISTENING, Duration.ofSeconds(30)));
            if (!m.find()) {
                throw new IllegalStateException("no DevTools address");
            }
            URI browser = URI.create(m.group(1));
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String page = null;
            for (Object target : (List<?>) TestJson.parse(list)) {
                Map<?, ?> t = (Map<?, ?>) target;
                if ("page".equals(t.get("type"))) {
                    page = (String) t.get("webSocketDebuggerUrl");
                }
            }
            if (page == null) {
                throw new IllegalStateException("no page target in " + list);
            }
            Listener listener = new Listener();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create(page), listener)
                    .get(10, TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(p, ws);
            listener.owner = chromium;
            return chromium;
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        socket.sendText(Json.write(message), true).get(10, TimeUnit.SECONDS);
        Map<String, Object> reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.containsKey("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("result");
        return result;
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (numbers, strings, booleans). */
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) result.get("result");
        return value.get("value");
    }

    /** A PNG of the page as it is now. */
    byte[] screenshot() throws Exception {
        Map<String, Object> result = call("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    @Override
    public void close() {
        socket.abort();
        process.close();
    }

    /** Gathers text frames into messages and completes the pending call each answers. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        private volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                Map<String, Object> message = TestJson.object(buffer.toString());
                buffer.setLength(0);
                if (message.get("id") instanceof Number id && owner != null) {
                    CompletableFuture<Map<String, Object>> answer = owner.pending.remove(id.intValue());
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
