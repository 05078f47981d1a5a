package io.github.rtmpedge.edge.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.github.rtmpedge.config.LogFormat;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Applies {@code log_format} to Logback's console output. */
public final class LogFormats {

    private LogFormats() {}

    /**
     * {@link LogFormat#JSON}: every console appender of the root logger writes JSON lines
     * ({@link JsonLinesEncoder}) from now on. {@link LogFormat#TEXT}: nothing changes (the text
     * pattern of {@code logback.xml}, or whatever a custom Logback configuration says). Returns how
     * many appenders were switched. Without Logback (another SLF4J binding), does nothing.
     */
    public static int apply(LogFormat format) {
        if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return 0;
        }
        int switched = 0;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console
                    && !(console.getEncoder() instanceof JsonLinesEncoder)) {
                JsonLinesEncoder json = new JsonLinesEncoder();
                json.setContext(context);
                json.start();
                console.setEncoder(json);
                switched++;
            }
        }
        return switched;
    }
}
