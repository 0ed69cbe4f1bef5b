package org.apitmoodle;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

public final class Application {

    /** The exit status when start-up fails. */
    static final int START_UP_FAILED = 1;

    public static void main(String[] args) throws Exception {
        run(create(), args);
    }

    /** The integration as {@link #main} runs it, not yet started. */
    public static Main create() {
        Main main = new Main(Application.class);
        // The application.properties in the working directory, when there is one, overrides the one in the jar,
        // so a packaged integration's settings change without rebuilding. -Dcamel.main.property-placeholder-location
        // (or CAMEL_MAIN_PROPERTY_PLACEHOLDER_LOCATION) replaces both.
        main.setDefaultPropertyPlaceholderLocation(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        return main;
    }

    /**
     * Runs the integration until it stops. A start-up that fails prints one sentence (a wrong setting, an unreachable
     * database) and exits with status 1.
     */
    public static void run(Main main, String[] args) {
        try {
            main.run(args);
        } catch (Exception failure) {
            // Camel's shutdown hook, installed as start-up began, would take the JVM's exit for a SIGTERM and say so:
            // marked completed, it stays quiet.
            main.completed();
            String sentence = StartupException.sentence(failure);
            if (sentence != null) {
                // A wrong setting or an unreachable database: the one sentence says what to fix; a stack trace
                // would only bury it.
                System.err.println(sentence);
            } else {
                LoggerFactory.getLogger(Application.class).error("Start-up failed", failure);
            }
            System.exit(START_UP_FAILED);
        }
    }
}
