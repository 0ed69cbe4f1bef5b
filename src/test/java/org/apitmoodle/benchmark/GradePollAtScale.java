package org.apitmoodle.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.apitmoodle.emulator.GeneratedGradeReports;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;
import org.quartz.JobKey;

/**
 * The grade poll over {@code delegates} open delegates, generated in SQL: 1,000 a course (classroom courses already
 * in Moodle, ending in a year), every user and enrolment already synced. The emulator makes the courses' grade
 * reports up on each call ({@link GeneratedGradeReports}): the first course has completion criteria, the others
 * none. Two polls: the first learns which courses have no completion, the second asks only the one that has.
 */
final class GradePollAtScale {

    static final int DELEGATES_PER_COURSE = 1_000;
    static final long FIRST_MOODLE_COURSE = 100_001;
    static final long FIRST_MOODLE_USER = 1_000_001;

    /** What one poll did. */
    record Poll(long delegatesScored, int gradeCalls, int completionCalls, long wallMillis) {
    }

    final long delegates;
    final int courses;

    GradePollAtScale(long delegates) {
        this.delegates = delegates;
        this.courses = (int) ((delegates + DELEGATES_PER_COURSE - 1) / DELEGATES_PER_COURSE);
    }

    GeneratedGradeReports reports() {
        return new GeneratedGradeReports(FIRST_MOODLE_COURSE, FIRST_MOODLE_COURSE + courses - 1,
                DELEGATES_PER_COURSE, FIRST_MOODLE_USER, 1);
    }

    /** The accessplanit rows and the integration's sync state, in one transaction (the schema must exist). */
    void insert(String url) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);
            update(db, """
                    INSERT INTO course_templates (id, name, aims)
                    SELECT g, 'Template ' || g, 'aims' FROM generate_series(1, ?) g""", courses);
            update(db, """
                    INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle,
                                         moodle_id)
                    SELECT g, g, 'Classroom course ' || g, 'CLASSROOM', now() - interval '1 day',
                           now() + interval '1 year', true, ? + g - 1
                    FROM generate_series(1, ?) g""", FIRST_MOODLE_COURSE, courses);
            update(db, """
                    INSERT INTO users (id, forenames, surname, email, moodle_id)
                    SELECT g, 'Delegate', 'Number ' || g, 'delegate' || g || '@example.org', ? + g - 1
                    FROM generate_series(1, ?) g""", FIRST_MOODLE_USER, delegates);
            update(db, """
                    INSERT INTO delegates (id, user_id, course_id, status)
                    SELECT g, g, (g - 1) / ? + 1, 'BOOKED' FROM generate_series(1, ?) g""",
                    DELEGATES_PER_COURSE, delegates);
            update(db, """
                    INSERT INTO sync_state (entity_type, entity_id, state)
                    SELECT 'enrolment', g, 'DONE' FROM generate_series(1, ?) g""", delegates);
            db.commit();
            try (var analyze = db.createStatement()) {
                db.setAutoCommit(true);
                analyze.execute("ANALYZE");
            }
        }
    }

    /** One poll, as its Quartz trigger would start it, to its end. */
    static Poll poll(Main main, MoodleEmulator moodle, TestDatabase database, long expectedScored) throws Exception {
        int gradeCallsBefore = moodle.callCount("gradereport_user_get_grade_items");
        int completionCallsBefore = moodle.callCount("core_completion_get_course_completion_status");
        CamelContext context = main.getCamelContext();
        long start = System.nanoTime();
        context.getComponent("quartz", QuartzComponent.class).getScheduler()
                .triggerJob(new JobKey("poll-grades", "apit-sync"));
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> context.getInflightRepository().size("poll-grades") > 0);
        Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> context.getInflightRepository().size("poll-grades") == 0);
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        long scored = database.count("SELECT count(*) FROM delegates WHERE score IS NOT NULL");
        return new Poll(scored, moodle.callCount("gradereport_user_get_grade_items") - gradeCallsBefore,
                moodle.callCount("core_completion_get_course_completion_status") - completionCallsBefore, wallMillis);
    }

    private static void update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
