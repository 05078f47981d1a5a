package io.github.rtmpedge.edge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.typesafe.config.ConfigFactory;
import io.github.rtmpedge.config.EdgeConfig;
import io.github.rtmpedge.config.EdgeConfigLoader;
import io.github.rtmpedge.edge.EdgeServer;
import io.github.rtmpedge.edge.http.TestJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code log_format = json}: the server's console output becomes one JSON object per line. */
class JsonLogsTest {

    private static final Pattern ONE_OBJECT_LINE = Pattern.compile("^\\{[^\\n]*\\}$");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final IdentityHashMap<ConsoleAppender<ILoggingEvent>, Encoder<ILoggingEvent>> originalEncoders =
            new IdentityHashMap<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @TempDir
    Path dir;

    @BeforeEach
    void rememberTheConsole() {
        for (ConsoleAppender<ILoggingEvent> appender : consoleAppenders()) {
            originalEncoders.put(appender, appender.getEncoder());
        }
        originalOut = System.out;
    }

    @AfterEach
    void restoreTheConsole() {
        System.setOut(originalOut);
        originalEncoders.forEach(ConsoleAppender::setEncoder);
    }

    private List<ConsoleAppender<ILoggingEvent>> consoleAppenders() {
        List<ConsoleAppender<ILoggingEvent>> found = new ArrayList<>();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> c) {
                found.add(c);
            }
        }
        return found;
    }

    /** Runs an in-process server with {@code log_format} from a file, with System.out captured; returns the lines. */
    private List<String> consoleOfAServerWith(String logFormat) throws Exception {
        Path file = dir.resolve("edge.conf");
        Files.writeString(file, "listen = [\"127.0.0.1:0\"]\nhttp_api.enabled = off\nlog_format = " + logFormat + "\n");
        EdgeConfig config = EdgeConfigLoader.load(Optional.of(file), ConfigFactory.empty(), new Properties());
        EdgeServer server = new EdgeServer(config);
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            server.start();
        } finally {
            server.close();
            System.setOut(originalOut);
        }
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonFormatWritesEveryConsoleLineAsOneJsonObject() throws Exception {
        List<String> lines = consoleOfAServerWith("json");

        assertFalse(lines.isEmpty(), "no console output");
        for (String line : lines) {
            assertTrue(ONE_OBJECT_LINE.matcher(line).matches(), () -> "not one JSON object on a line: " + line);
            Map<String, Object> event = TestJson.object(line);
            assertTrue(
                    event.keySet().containsAll(List.of("timestamp", "level", "thread", "logger", "message")),
                    () -> "fields missing: " + line);
        }
    }

    @Test
    void jsonLinesCarryTheFormattedMessageLevelAndLogger() throws Exception {
        List<String> lines = consoleOfAServerWith("json");

        Map<String, Object> starting = lines.stream()
                .map(TestJson::object)
                .filter(e -> String.valueOf(e.get("message")).startsWith("starting rtmp-edge"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no start-up line in " + lines));
        assertEquals(
                List.of("INFO", EdgeServer.class.getName(), true),
                List.of(
                        starting.get("level"),
                        starting.get("logger"),
                        String.valueOf(starting.get("message"))
                                .matches("starting rtmp-edge \\S+ \\(local mode, \\w+ transport, \\w+ allocator\\)")),
                starting::toString);
    }

    @Test
    void textFormatLeavesTheTextLines() throws Exception {
        List<String> lines = consoleOfAServerWith("text");

        assertTrue(
                !lines.isEmpty() && lines.stream().noneMatch(l -> l.startsWith("{")), () -> String.join("\n", lines));
    }

    @Test
    void anExceptionMdcAndKeyValuesStayOnOneLineWithTheKeyValuesAtTopLevel() {
        JsonLinesEncoder encoder = new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();
        Logger logger = context.getLogger("test.json");
        LoggingEvent event = new LoggingEvent(
                Logger.class.getName(),
                logger,
                Level.WARN,
                "peer {} said \"{}\"",
                new IllegalStateException("bad\nthing"),
                new Object[] {"1.2.3.4:5", "a\tb"});
        MDC.put("stream", "live/s1");
        try {
            event.prepareForDeferredProcessing();
        } finally {
            MDC.remove("stream");
        }
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("bytes", 42));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("app", "live"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("level", "clashes"));

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertTrue(
                line.endsWith("\n")
                        && ONE_OBJECT_LINE
                                .matcher(line.substring(0, line.length() - 1))
                                .matches(),
                line);
        Map<String, Object> parsed = TestJson.object(line);
        assertEquals(
                List.of(
                        "WARN",
                        "peer 1.2.3.4:5 said \"a\tb\"",
                        Map.of("stream", "live/s1"),
                        42L,
                        "live",
                        Map.of("level", "clashes"),
                        true),
                List.of(
                        parsed.get("level"),
                        parsed.get("message"),
                        parsed.get("mdc"),
                        parsed.get("bytes"),
                        parsed.get("app"),
                        parsed.get("kv"),
                        String.valueOf(parsed.get("exception"))
                                .startsWith("java.lang.IllegalStateException: bad\nthing")),
                line);
    }
}
