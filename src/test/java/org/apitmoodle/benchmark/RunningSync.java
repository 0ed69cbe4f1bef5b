package org.apitmoodle.benchmark;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apitmoodle.Application;
import org.awaitility.Awaitility;

/**
 * The whole application started in this JVM as an operator would, with the run's settings and the program's own
 * beans (event notifiers that time or count the Moodle calls).
 */
record RunningSync(Main main, Thread thread) implements AutoCloseable {

    static RunningSync start(Map<String, String> settings, MoodleCallClock clock) {
        return start(settings, Map.of("moodleCallClock", clock));
    }

    static RunningSync start(Map<String, String> settings, Map<String, Object> beans) {
        Main main = new Main(Application.class);
        settings.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        Thread thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "benchmark-application");
        thread.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            CamelContext context = main.getCamelContext();
            return context != null && context.isStarted();
        });
        return new RunningSync(main, thread);
    }

    /** Stops it as SIGTERM would. */
    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(Duration.ofSeconds(60).toMillis());
    }
}
