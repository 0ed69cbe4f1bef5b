package org.apitmoodle.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The integration's log lines while a test runs, with their logging context (the fields a JSON line carries), as
 * an operator's log shipper would see them.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

    /** One line: its level, logger, message and context. */
    public record Line(String level, String logger, String message, Map<String, String> context) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLog() {
        // ignoreExceptions false: a line this appender cannot take fails the test instead of vanishing.
        super("captured-" + System.nanoTime(), null, null, false, Property.EMPTY_ARRAY);
    }

    /** Starts capturing every line of the root logger. */
    public static CapturedLog capture() {
        CapturedLog log = new CapturedLog();
        log.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(log, null, null);
        context.updateLoggers();
        return log;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new Line(event.getLevel().name(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
                java.util.Collections.unmodifiableMap(new java.util.HashMap<>(event.getContextData().toMap()))));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
