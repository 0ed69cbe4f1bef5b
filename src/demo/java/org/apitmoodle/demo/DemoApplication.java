package org.apitmoodle.demo;

import java.io.PrintStream;
import org.apache.camel.main.Main;
import org.apitmoodle.Application;

/**
 * The README's run command ({@code mvn -q test-compile exec:java}): the real application, as {@link Application}
 * runs it, with the demo in front of it when no Moodle is configured (moodle.url empty, as shipped). The demo
 * recreates its database (demo.db-name on the server of db.url), starts the Moodle emulator with the latency model
 * of demo.moodle-latency.*, loads the demo data, prints a summary once everything is synced, and exits then when
 * demo.exit-when-synced. With a Moodle configured, this is the application alone.
 *
 * <p>It lives with the tests (src/demo), never in the production jar.
 */
public final class DemoApplication {

    private DemoApplication() {
    }

    public static void main(String[] args) throws Exception {
        Application.run(create(System.out), args);
    }

    /** The application with the demo in front of it, not yet started; the demo's summary goes to {@code out}. */
    public static Main create(PrintStream out) {
        Main main = Application.create();
        main.addMainListener(new Demo(out, main::completed));
        return main;
    }
}
