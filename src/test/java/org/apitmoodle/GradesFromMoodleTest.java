package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.CompletionMode;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scores and completion back from Moodle (the emulator) to the delegates in accessplanit. The test runs the grade
 * poll itself (its Quartz schedule is replaced by direct:poll-grades; GradePollScheduleTest covers the schedule),
 * so it can count the calls of exactly one poll. Each test uses its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "course-dates.enabled=false"},
        replaceRouteFromWith = {"poll-grades=direct:poll-grades"})
class GradesFromMoodleTest extends SyncTestSupport {

    private static final String GRADES = "gradereport_user_get_grade_items";
    private static final String COMPLETION = "core_completion_get_course_completion_status";

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleSite site;
    ProducerTemplate poll;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
        poll = context.createProducerTemplate();
    }

    @Test
    void scoresAndCompletionArriveForClassroomWebinarAndElearningDelegatesWithOneGradeCallPerCourse() {
        accessplanit.classroomCourse(10, "Fire Safety");            // completion with the course-grade criterion
        accessplanit.template(12, "aims", null);
        accessplanit.course(12, 12, "First Aid (webinar)", "WEBINAR", OffsetDateTime.parse("2027-03-01T09:00:00Z"),
                null, true, null);                                   // completion on, no criteria
        long elearning = site.addCourse("ELEARN-14", "GDPR e-learning", "ELEARN-14", CATEGORY).id();
        site.setCourseCompletionMode(elearning, CompletionMode.DISABLED);
        accessplanit.template(14, "aims", elearning);
        accessplanit.course(14, 14, "GDPR (e-learning, March)", "ELEARNING", null, null, false, null);
        accessplanit.course(15, 14, "GDPR (e-learning, April)", "ELEARNING", null, null, false, null);
        long[][] bookings = {{10, 10}, {11, 10}, {12, 12}, {13, 12}, {14, 14}, {15, 15}}; // delegate = user, course
        for (long[] booking : bookings) {
            accessplanit.user(booking[0], "User", "Number " + booking[0], "user" + booking[0] + "@example.com");
            accessplanit.delegate(booking[0], booking[0], booking[1], "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND entity_id BETWEEN 10 AND 15 AND state = 'DONE'") == 6);
        long classroom = accessplanit.courseMoodleId(10);
        long webinar = accessplanit.courseMoodleId(12);
        site.setCourseCompletionMode(webinar, CompletionMode.NO_CRITERIA);
        long completedAt = Instant.parse("2027-03-01T16:30:00Z").getEpochSecond();
        site.setGrade(classroom, moodleUser(10), 85.0);
        site.setCompletion(classroom, moodleUser(10), true, completedAt);
        site.setGrade(classroom, moodleUser(11), 30.0);
        site.setGrade(webinar, moodleUser(12), 64.5);
        site.setGrade(elearning, moodleUser(14), 91.0);
        site.setGrade(elearning, moodleUser(15), 47.25);

        List<RecordedCall> calls = pollOnce();

        assertThat(delegate(10)).containsEntry("score", new BigDecimal("85.00"))
                .containsEntry("completion_status", "COMPLETE").containsEntry("status", "COMPLETED");
        assertThat(((Timestamp) delegate(10).get("completed_at")).toInstant().getEpochSecond()).isEqualTo(completedAt);
        assertThat(delegate(11)).containsEntry("score", new BigDecimal("30.00"))
                .containsEntry("completion_status", "INCOMPLETE").containsEntry("completed_at", null)
                .containsEntry("status", "BOOKED");
        assertThat(delegate(12)).containsEntry("score", new BigDecimal("64.50")).containsEntry("completion_status", null);
        assertThat(delegate(13)).containsEntry("score", null).containsEntry("status", "BOOKED");
        assertThat(delegate(14)).containsEntry("score", new BigDecimal("91.00")).containsEntry("completion_status", null);
        assertThat(delegate(15)).containsEntry("score", new BigDecimal("47.25"));

        // One grade call per Moodle course, for all its users (course id only), the two e-learning courses sharing
        // their template's Moodle course.
        for (long course : new long[] {classroom, webinar, elearning}) {
            assertThat(calls(calls, GRADES, course)).singleElement()
                    .satisfies(call -> assertThat(call.param("userid")).isNull());
        }
        // Completion: asked for each delegate of a course with criteria; once for a course without (nocriteriaset,
        // cannotviewreport), not again for its other delegate.
        assertThat(calls(calls, COMPLETION, classroom)).extracting(call -> call.param("userid"))
                .containsExactlyInAnyOrder(Long.toString(moodleUser(10)), Long.toString(moodleUser(11)));
        assertThat(calls(calls, COMPLETION, webinar)).hasSize(1);
        assertThat(calls(calls, COMPLETION, elearning)).hasSize(1);

        // A completed delegate is not asked about again.
        List<RecordedCall> next = pollOnce();
        assertThat(calls(next, COMPLETION, classroom)).extracting(call -> call.param("userid"))
                .containsExactly(Long.toString(moodleUser(11)));
    }

    @Test
    void unchangedScoresCauseNoWrites() {
        accessplanit.classroomCourse(20, "Manual Handling");
        accessplanit.user(20, "Carol", "Clark", "carol@example.com");
        accessplanit.user(21, "Dan", "Dale", "dan@example.com");
        accessplanit.delegate(20, 20, 20, "BOOKED");
        accessplanit.delegate(21, 21, 20, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 20))
                && "DONE".equals(accessplanit.syncState("enrolment", 21)));
        long course = accessplanit.courseMoodleId(20);
        site.setGrade(course, moodleUser(20), 70.0);
        pollOnce();
        assertThat(delegate(20)).containsEntry("score", new BigDecimal("70.00"))
                .containsEntry("completion_status", "INCOMPLETE");
        String version20 = rowVersion(20);
        String version21 = rowVersion(21);

        List<RecordedCall> again = pollOnce();
        pollOnce();

        assertThat(calls(again, GRADES, course)).as("the poll did read the course").hasSize(1);
        // xmin, the transaction that last wrote the row, changes with every UPDATE that touches it.
        assertThat(rowVersion(20)).isEqualTo(version20);
        assertThat(rowVersion(21)).isEqualTo(version21);

        site.setGrade(course, moodleUser(20), 75.5);
        pollOnce();

        assertThat(delegate(20)).containsEntry("score", new BigDecimal("75.50"));
        assertThat(rowVersion(20)).isNotEqualTo(version20);
        assertThat(rowVersion(21)).as("a delegate whose grades did not change").isEqualTo(version21);
    }

    @Test
    void cancelledAndNotYetEnrolledDelegatesAreNotAskedAbout() {
        accessplanit.classroomCourse(30, "Asbestos Awareness");
        accessplanit.user(30, "Erin", "Ellis", "erin@example.com");
        accessplanit.user(31, "Finn", "Ford", "finn@example.com");
        accessplanit.delegate(30, 30, 30, "BOOKED");
        accessplanit.delegate(31, 31, 30, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 31)));
        long course = accessplanit.courseMoodleId(30);
        site.setGrade(course, moodleUser(30), 55.0);
        site.setGrade(course, moodleUser(31), 65.0);
        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 30");

        List<RecordedCall> calls = pollOnce();

        assertThat(delegate(30)).containsEntry("score", null);
        assertThat(delegate(31)).containsEntry("score", new BigDecimal("65.00"));
        assertThat(calls(calls, COMPLETION, course)).extracting(call -> call.param("userid"))
                .containsExactly(Long.toString(moodleUser(31)));
    }

    @Test
    void gradesThatCannotBeReadAreDeadLetteredWhileOtherCoursesAreRead() {
        // Enrolled once, then the course was deleted in Moodle: its Moodle id no longer exists.
        accessplanit.template(40, "aims", 99999L);
        accessplanit.course(40, 40, "Deleted in Moodle", "ELEARNING", null, null, false, null);
        accessplanit.classroomCourse(41, "Control");
        accessplanit.user(40, "Gina", "Gray", "gina@example.com");
        accessplanit.user(41, "Hal", "Hunt", "hal@example.com");
        accessplanit.delegate(41, 41, 41, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 41)));
        db.update("UPDATE users SET moodle_id = ? WHERE id = 40", moodleUser(41));
        // In one statement, so the enrolment sync never sees the booking without its DONE state.
        db.update("WITH booking AS (INSERT INTO delegates (id, user_id, course_id, status)"
                + " VALUES (40, 40, 40, 'BOOKED') RETURNING id)"
                + " INSERT INTO sync_state (entity_type, entity_id, state) SELECT 'enrolment', id, 'DONE' FROM booking"
                + " ON CONFLICT (entity_type, entity_id) DO UPDATE SET state = 'DONE'");
        site.setGrade(accessplanit.courseMoodleId(41), moodleUser(41), 88.0);

        pollOnce();

        assertThat(delegate(41)).containsEntry("score", new BigDecimal("88.00"));
        assertThat(accessplanit.syncState("grades", 40)).isEqualTo("FAILED");
        Map<String, Object> entry = db.rows("SELECT * FROM dead_letter WHERE entity_type = 'grades'"
                + " AND entity_id = 40").get(0);
        assertThat(entry).containsEntry("error_class", "bad-data").containsEntry("error_code", "invalidrecord")
                .containsEntry("moodle_function", GRADES).containsEntry("state", "OPEN");

        List<RecordedCall> next = pollOnce();
        assertThat(calls(next, GRADES, 99999)).as("a dead-lettered delegate waits for an operator").isEmpty();
    }

    @Test
    void aPassingFailureOfTheGradePollLeavesTheDelegatesToTheNextPoll() {
        accessplanit.classroomCourse(50, "Grades while Moodle is overloaded");
        accessplanit.user(50, "Ivy", "Irons", "ivy@example.com");
        accessplanit.user(51, "Jon", "Jones", "jon@example.com");
        accessplanit.delegate(50, 50, 50, "BOOKED");
        accessplanit.delegate(51, 51, 50, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 50))
                && "DONE".equals(accessplanit.syncState("enrolment", 51)));
        site.setGrade(accessplanit.courseMoodleId(50), moodleUser(50), 71.0);
        moodle.refuseCalls(GRADES, null, 503, "text/html", "<html>503 Service Unavailable</html>");
        try {
            pollOnce();
        } finally {
            moodle.clearRefusals();
        }
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'grades' AND entity_id IN (50, 51)"))
                .as("no dead letter for a passing failure").isZero();
        assertThat(accessplanit.syncState("grades", 50)).isNull();
        assertThat(delegate(50).get("score")).isNull();

        pollOnce();
        assertThat(delegate(50)).containsEntry("score", new BigDecimal("71.00"));
        System.out.printf("FAULT %-48s synced=%d dead-lettered=%d duplicates=0 calls-while-paused=- time-to-resume=next"
                + " poll%n", "grade poll: Moodle overloaded (HTTP 503)", 2, 0);
    }

    /** Runs one grade poll to its end and returns the Moodle calls made meanwhile. */
    private List<RecordedCall> pollOnce() {
        int before = moodle.calls().size();
        try {
            poll.asyncSendBody("direct:poll-grades", null).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("The grade poll did not finish", e);
        }
        List<RecordedCall> all = moodle.calls();
        return all.subList(before, all.size());
    }

    private static List<RecordedCall> calls(List<RecordedCall> calls, String function, long moodleCourseId) {
        return calls.stream().filter(call -> call.wsfunction().equals(function)
                && Long.toString(moodleCourseId).equals(call.param("courseid"))).toList();
    }

    private long moodleUser(long userId) {
        return accessplanit.userMoodleId(userId);
    }

    private Map<String, Object> delegate(long id) {
        return db.rows("SELECT score, completion_status, completed_at, status FROM delegates WHERE id = ?", id).get(0);
    }

    private String rowVersion(long delegateId) {
        return (String) db.value("SELECT CAST(xmin AS text) FROM delegates WHERE id = ?", delegateId);
    }
}
