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
        // Generous (a boot and a sync; a busy machine is slow): the demo exiting by itself ends the wait.
        demo.join(Duration.ofMinutes(5).toMillis());
        boolean exitedByItself = !demo.isAlive();
        if (!exitedByItself) {
            main.completed();
            demo.join(Duration.ofSeconds(60).toMillis());
        }

        assertThat(failure.get()).as("the demo's failure").isNull();
        assertThat(exitedByItself).as("the demo exits once everything is synced").isTrue();
        TestDatabase db = TestDatabase.existing(database);
        // 36 bookings: Erin's (her email is refused), Frank's (course not ticked) and a cancelled one are not enrolled.
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'"))
                .isEqualTo(33);
        assertThat(db.count("SELECT count(*) FROM dead_letter")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM courses WHERE moodle_id IS NOT NULL")).isEqualTo(5);
        assertThat(db.count("SELECT count(*) FROM users WHERE moodle_id IS NOT NULL")).isEqualTo(22);
        assertThat(db.value("SELECT error_code FROM dead_letter")).isEqualTo("invalidemail");
        assertThat(db.count("SELECT count(DISTINCT course_type) FROM courses")).isEqualTo(3);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("==== Demo sync done: what accessplanit now holds ====", "Dead-letter queue",
                "invalidemail");
        assertThat(printed).containsPattern("Status page: +http://127\\.0\\.0\\.1:\\d+/status")
                .containsPattern("Dead-letter page: +http://127\\.0\\.0\\.1:\\d+/dead-letter-queue");
        // Then a cancellation and a transfer reach Moodle: Grace's enrolment suspended; Kate enrolled on Manchester's
        // Moodle course, her online one suspended.
        assertThat(printed).contains("==== The changes reached Moodle ====");
        assertThat(db.rows("SELECT delegate_id, state FROM " + TestDatabase.INTEGRATION_SCHEMA + ".moodle_enrolment"
                + " WHERE delegate_id IN (9, 13) ORDER BY delegate_id, state")).containsExactly(
                java.util.Map.of("delegate_id", 9L, "state", "SUSPENDED"),
                java.util.Map.of("delegate_id", 13L, "state", "ACTIVE"),
                java.util.Map.of("delegate_id", 13L, "state", "SUSPENDED"));
        assertThat(db.value("SELECT e.moodle_course_id = c.moodle_id FROM " + TestDatabase.INTEGRATION_SCHEMA
                + ".moodle_enrolment e JOIN courses c ON c.id = 108 WHERE e.delegate_id = 13 AND e.state = 'ACTIVE'"))
                .isEqualTo(true);
        assertThat(printed.strip().lines().reduce((first, second) -> second).orElseThrow())
                .as("it ends with how to sign in").startsWith("Sign in as operator, password demo-");
        // The summary's tables are aligned: every line of a table has its columns at the same places.
        String courses = printed.substring(printed.indexOf("Courses and their bookings"), printed.indexOf("Users"));
        java.util.List<String> lines = courses.lines().skip(1).filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(9);
        int ticked = lines.get(0).indexOf("ticked");
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.substring(ticked, ticked + 3)).as(line).matches("yes|no ");
        }
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
            main.addOverrideProperty("moodle.allow-insecure-http", "true");
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
                // A bound, not a wait: on a machine shared with other builds the start alone took over 30 s.
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
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
