package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apitmoodle.demo.DemoApplication;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The README's run command with no Moodle configured ({@link DemoApplication}): the demo syncs its data against the
 * Moodle emulator, prints what accessplanit now holds, and exits.
 */
class DemoTest {

    @Test
    void withNoMoodleConfiguredTheDemoSyncsItsDataWritesTheMoodleIdsBackAndExits() throws Exception {
        String database = TestDatabase.PREFIX + "demo";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main main = DemoApplication.create(new PrintStream(out, true, StandardCharsets.UTF_8));
        main.addOverrideProperty("moodle.url", "");
        main.addOverrideProperty("demo.db-name", database);
        main.addOverrideProperty("demo.exit-when-synced", "true");
        main.addOverrideProperty("sync.poll-period-ms", "200");
        main.addOverrideProperty("sync.instance-id", "demo");
        main.addOverrideProperty("management.port", Integer.toString(freePort()));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread demo = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "demo");
        demo.start();
        demo.join(Duration.ofSeconds(90).toMillis());
        boolean exitedByItself = !demo.isAlive();
        if (!exitedByItself) {
            main.completed();
            demo.join(Duration.ofSeconds(60).toMillis());
        }

        assertThat(failure.get()).as("the demo's failure").isNull();
        assertThat(exitedByItself).as("the demo exits once everything is synced").isTrue();
        TestDatabase db = TestDatabase.existing(database);
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'"))
                .isEqualTo(5);
        assertThat(db.count("SELECT count(*) FROM dead_letter")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM courses WHERE moodle_id IS NOT NULL")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM users WHERE moodle_id IS NOT NULL")).isEqualTo(4);
        assertThat(db.value("SELECT error_code FROM dead_letter")).isEqualTo("invalidemail");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("==== Demo sync done: what accessplanit now holds ====",
                "Dead-letter queue", "invalidemail");
    }

    @Test
    void withAMoodleConfiguredTheLauncherIsTheApplicationAlone() throws Exception {
        String demoDatabase = TestDatabase.PREFIX + "demo_not_made";
        TestDatabase db = TestDatabase.recreate(TestDatabase.PREFIX + "demotest_configured").withAccessplanitTables();
        db.update("DROP DATABASE IF EXISTS \"" + demoDatabase + "\" WITH (FORCE)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MoodleEmulator moodle = MoodleEmulator.start(0, "configured-token")) {
            Main main = DemoApplication.create(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.addOverrideProperty("moodle.url", moodle.url());
            main.addOverrideProperty("moodle.token", "configured-token");
            main.addOverrideProperty("moodle.category-id", "2");
            main.addOverrideProperty("db.url", db.url());
            main.addOverrideProperty("demo.db-name", demoDatabase);
            main.addOverrideProperty("management.port", Integer.toString(freePort()));
            Thread application = new Thread(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "configured");
            application.start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    CamelContext context = main.getCamelContext();
                    return context != null && context.isStarted();
                });

                assertThat(main.getCamelContext().resolvePropertyPlaceholders("{{moodle.url}}")).isEqualTo(moodle.url());
                assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname = ?", demoDatabase)).isZero();
                assertThat(db.count("SELECT count(*) FROM users")).isZero();
                assertThat(moodle.site().courseByShortname("GDPR-ELEARN")).as("the demo's e-learning course").isEmpty();
            } finally {
                main.completed();
                application.join(Duration.ofSeconds(60).toMillis());
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
