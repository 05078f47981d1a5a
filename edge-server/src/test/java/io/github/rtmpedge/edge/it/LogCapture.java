package io.github.rtmpedge.edge.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;

/** The server's log lines, captured in memory by a Logback {@link ListAppender} on the root logger. */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.setName("it-capture-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    /** Every line so far, as {@code LEVEL logger - message}. */
    List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        List<String> lines = new ArrayList<>(events.size());
        for (ILoggingEvent e : events) {
            lines.add(
                    e.getLevel() + " " + e.getLoggerName().replaceFirst(".*\\.", "") + " - " + e.getFormattedMessage());
        }
        return lines;
    }

    /** The events whose formatted message matches {@code pattern}, with their key-value pairs. */
    List<ILoggingEvent> events(Pattern pattern) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(e -> pattern.matcher(e.getFormattedMessage()).find())
                    .toList();
        }
    }

    /** The lines matching {@code pattern}. */
    List<String> matching(Pattern pattern) {
        return lines().stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    long count(Pattern pattern) {
        return matching(pattern).size();
    }

    /** Waits (at most {@code timeout}) until {@code pattern} has matched at least {@code times} lines. */
    void await(Pattern pattern, int times, Duration timeout) {
        Awaitility.await("server logs /" + pattern + "/ " + times + "x")
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> count(pattern) >= times);
    }

    void await(Pattern pattern, Duration timeout) {
        await(pattern, 1, timeout);
    }

    /** Everything captured, for failure messages. */
    String dump() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
