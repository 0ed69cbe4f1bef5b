package org.apitmoodle.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import org.apitmoodle.emulator.MoodleEmulator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * The outer edges of an end-to-end test: a fresh database of the test class's own, holding the accessplanit tables as
 * a customer's does, and a Moodle emulator. The
 * application (booted by {@code @CamelMainTest}) finds them through system properties, which override
 * application.properties, as an operator's -D settings would.
 */
public abstract class SyncTestSupport {

    protected static final String TOKEN = "test-token-0123456789abcdef";
    /** The emulator's "Accessplanit courses" category. */
    protected static final long CATEGORY = 2;
    protected static final long STUDENT_ROLE = 5;

    protected static MoodleEmulator moodle;
    protected static TestDatabase db;
    /** The port of Camel's management server (/observe/...): a free one, as tests never bind a fixed port. */
    protected static int managementPort;

    @BeforeAll
    static void startMoodleAndDatabase(TestInfo test) {
        String name = TestDatabase.PREFIX + test.getTestClass().orElseThrow().getSimpleName().toLowerCase(Locale.ROOT);
        // The customer's path: the accessplanit tables are there before the application first starts.
        db = TestDatabase.recreate(name).withAccessplanitTables();
        moodle = MoodleEmulator.start(0, TOKEN);
        System.setProperty("db.url", db.url());
        System.setProperty("moodle.url", moodle.url());
        // The emulator speaks plain HTTP on this machine: the one place the token may travel in clear.
        System.setProperty("moodle.allow-insecure-http", "true");
        System.setProperty("moodle.token", TOKEN);
        System.setProperty("moodle.category-id", Long.toString(CATEGORY));
        System.setProperty("moodle.role-id", Long.toString(STUDENT_ROLE));
        managementPort = freePort();
        System.setProperty("management.port", Integer.toString(managementPort));
    }

    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    @AfterAll
    static void stopMoodle() {
        for (String property : new String[] {"db.url", "moodle.url", "moodle.allow-insecure-http", "moodle.token", "moodle.category-id", "moodle.role-id",
                "management.port"}) {
            System.clearProperty(property);
        }
        moodle.close();
    }

    /**
     * Waits for a condition. The bound is generous: a busy machine (2 cores shared by several builds) once took 30 s
     * to boot the application alone; a condition met returns at once, so only a failing test waits it out.
     */
    protected static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Both sides of "impossible to lose data with": every claimed record ended either in Moodle (its id written
     * back, and there in the emulator) or in the dead-letter queue, none is stuck in progress; and Moodle holds
     * each accessplanit user, course and enrolment at most once.
     */
    protected static void assertNothingLostAndNothingTwice() {
        // A record the test's own condition did not wait for may still be in its call: give it time (a busy machine
        // is slow). A record really stuck keeps its claim far longer (the lease, minutes), so this still fails on one.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(db.rows("SELECT entity_type, entity_id FROM sync_state"
                        + " WHERE state = 'IN_PROGRESS'")).as("records stuck in progress").isEmpty());
        assertThat(db.rows("SELECT s.entity_type, s.entity_id FROM sync_state s"
                + " WHERE s.state = 'FAILED' AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.state = 'OPEN'"
                + " AND d.entity_type = s.entity_type AND d.entity_id = s.entity_id)"))
                .as("failed records without an open dead-letter entry").isEmpty();
        for (var user : db.rows("SELECT s.entity_id, u.moodle_id FROM sync_state s JOIN users u ON u.id = s.entity_id"
                + " WHERE s.entity_type = 'user' AND s.state = 'DONE'")) {
            long moodleId = ((Number) user.get("moodle_id")).longValue();
            assertThat(moodle.site().userById(moodleId)).as("user " + user).isPresent();
        }
        for (var enrolment : db.rows("SELECT u.moodle_id AS user_id,"
                + " CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS course_id"
                + " FROM sync_state s JOIN delegates d ON d.id = s.entity_id JOIN users u ON u.id = d.user_id"
                + " JOIN courses c ON c.id = d.course_id JOIN course_templates t ON t.id = c.template_id"
                + " WHERE s.entity_type = 'enrolment' AND s.state = 'DONE'")) {
            assertThat(moodle.site().isEnrolled(
                    ((Number) enrolment.get("user_id")).longValue(), ((Number) enrolment.get("course_id")).longValue()))
                    .as("enrolment " + enrolment).isTrue();
        }
        var site = moodle.site();
        assertThat(site.users().stream().map(u -> u.username()).toList())
                .as("Moodle users").doesNotHaveDuplicates();
        assertThat(site.users().stream()
                .filter(u -> u.idnumber() != null && !u.idnumber().isEmpty()).map(u -> u.idnumber()).toList())
                .as("Moodle users' ID numbers (one Moodle user per accessplanit user)").doesNotHaveDuplicates();
        assertThat(site.courses().stream()
                .filter(c -> c.idnumber() != null && !c.idnumber().isEmpty()).map(c -> c.idnumber()).toList())
                .as("Moodle courses' ID numbers").doesNotHaveDuplicates();
        assertThat(site.enrolments().stream()
                .map(e -> e.userId() + "/" + e.courseId()).toList()).as("Moodle enrolments").doesNotHaveDuplicates();
    }
}
