package org.apitmoodle;

import org.apache.camel.main.Main;

public final class Application {
    public static void main(String[] args) throws Exception {
        create().run(args);
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
}
