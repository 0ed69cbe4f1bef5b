package org.apitmoodle.ops;

import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Switches the log between text lines and JSON lines. log4j2.properties picks the appender from the system
 * property log.format (or the environment variable LOG_FORMAT) at start-up; log.format set in
 * application.properties is only known once Camel reads it, so then the logging is reconfigured.
 */
final class LogFormat {

    static final String PROPERTY = "log.format";

    private LogFormat() {
    }

    static void apply(String format) {
        String wanted = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
        if (!wanted.equals("json") && !wanted.equals("text")) {
            throw new IllegalArgumentException("log.format must be text or json, but is '" + format + "'.");
        }
        String current = System.getProperty(PROPERTY, System.getenv().getOrDefault("LOG_FORMAT", "text"));
        if (!wanted.equals(current.toLowerCase(Locale.ROOT))) {
            System.setProperty(PROPERTY, wanted);
            if (LogManager.getContext(false) instanceof LoggerContext logging) {
                logging.reconfigure();
            }
        }
    }
}
