package org.apitmoodle.support;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apitmoodle.Application;
import org.awaitility.Awaitility;

/** One running instance of the whole application, as an operator would start it, with its own settings. */
public final class Instance implements AutoCloseable {

    private final Main main;
    private final Thread thread;

    private Instance(Main main, Thread thread) {
        this.main = main;
        this.thread = thread;
    }

    public static Instance start(String name, Map<String, String> settings) {
        Main main = new Main(Application.class);
        main.addOverrideProperty("sync.instance-id", name);
        settings.forEach(main::addOverrideProperty);
        Thread thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "instance-" + name);
        thread.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            CamelContext context = main.getCamelContext();
            return context != null && context.isStarted();
        });
        return new Instance(main, thread);
    }

    /** Stops it as SIGTERM would: in-flight work gets camel.main.shutdown-timeout seconds, then is cut off. */
    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(Duration.ofSeconds(60).toMillis());
    }
}
