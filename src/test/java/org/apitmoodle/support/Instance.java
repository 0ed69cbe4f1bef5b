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
        // Several instances in one JVM: each its own management server.
        main.addOverrideProperty("management.port", Integer.toString(SyncTestSupport.freePort()));
        settings.forEach(main::addOverrideProperty);
        Thread thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "instance-" + name);
        thread.start();
        // Generous: a boot takes seconds on a quiet machine, far longer on a busy one.
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
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

    /**
     * Starts the application in a JVM of its own with the test's settings (its system properties) and these, so
     * that it can be killed as a crash would: {@link Process#destroyForcibly()} is SIGKILL, no shutdown at all.
     */
    public static Process startProcess(String name, Map<String, String> settings) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String property : new String[] {"db.url", "moodle.url", "moodle.allow-insecure-http", "moodle.token", "moodle.category-id",
                "moodle.role-id"}) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        command.add("-Dmanagement.port=" + SyncTestSupport.freePort());
        command.add("-Dsync.instance-id=" + name);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(Application.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(java.nio.file.Path.of("target", "instance-" + name + ".log").toFile()).start();
    }
}
