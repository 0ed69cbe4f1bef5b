package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changed start and end dates of synced courses reach Moodle (the emulator). Each test uses its own ids. */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false"})
class CourseDatesToMoodleTest extends SyncTestSupport {

    private static final String UPDATE = "core_course_update_courses";

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @Test
    void aDateChangeReachesMoodleExactlyOnce() {
        accessplanit.classroomCourse(10, "Fire Safety");
        eventually().until(() -> accessplanit.courseMoodleId(10) != null);
        long moodleId = accessplanit.courseMoodleId(10);
        // Created by the integration with its dates: they are noted as Moodle's, and not sent again.
        eventually().until(() -> db.count("SELECT count(*) FROM course_dates WHERE course_id = 10"
                + " AND pushed_startdate IS NOT NULL") == 1);
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).as("the dates it was created with are not sent again").isEmpty();
        int callsBefore = 0;
        OffsetDateTime start = OffsetDateTime.parse("2027-04-12T09:30:00Z");
        OffsetDateTime end = OffsetDateTime.parse("2027-04-13T16:00:00Z");

        db.update("UPDATE courses SET start_at = ?, end_at = ? WHERE id = 10", start, end);

        eventually().until(() -> dates(moodleId).equals(List.of(start.toEpochSecond(), end.toEpochSecond())));
        awaitPolls(5);
        List<RecordedCall> calls = updateCalls(moodleId);
        assertThat(calls).hasSize(callsBefore + 1);
        RecordedCall call = calls.get(calls.size() - 1);
        assertThat(call.params()).filteredOn(param -> param.getKey().startsWith("courses")).containsExactly(Map.entry("courses[0][id]", Long.toString(moodleId)),
                Map.entry("courses[0][startdate]", Long.toString(start.toEpochSecond())),
                Map.entry("courses[0][enddate]", Long.toString(end.toEpochSecond())));
        assertThat(accessplanit.syncState("course-dates", 10)).isEqualTo("DONE");
    }

    @Test
    void aTypedInMoodleCourseKeepsItsDatesUntilTheyChangeInAccessplanit() {
        long moodleId = site.addCourse("EXISTING-20", "Set up in Moodle", "", CATEGORY).id();
        accessplanit.template(20, "aims", null);
        accessplanit.course(20, 20, "Typed-in Moodle id", "WEBINAR", OffsetDateTime.parse("2027-05-01T09:00:00Z"), null,
                true, moodleId);
        eventually().until(() -> db.count("SELECT count(*) FROM course_dates WHERE course_id = 20") == 1);
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).as("noted, not sent").isEmpty();

        OffsetDateTime end = OffsetDateTime.parse("2027-05-01T12:00:00Z");
        db.update("UPDATE courses SET end_at = ? WHERE id = 20", end);

        long start = OffsetDateTime.parse("2027-05-01T09:00:00Z").toEpochSecond();
        eventually().until(() -> dates(moodleId).equals(List.of(start, end.toEpochSecond())));
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).hasSize(1);
    }

    @Test
    void aWarningFromMoodleDeadLettersItsCourseWhileTheOthersInTheCallAreDone() {
        long moodleId = site.addCourse("EXISTING-30", "Set up in Moodle", "", CATEGORY).id();
        accessplanit.template(30, "aims", null);
        OffsetDateTime start = OffsetDateTime.parse("2027-06-01T09:00:00Z");
        accessplanit.course(30, 30, "Typed-in Moodle id", "CLASSROOM", start, null, true, moodleId);
        accessplanit.course(31, 30, "Deleted in Moodle", "CLASSROOM", start, null, true, 99999L);
        eventually().until(() -> db.count("SELECT count(*) FROM course_dates WHERE course_id IN (30, 31)") == 2);
        OffsetDateTime moved = OffsetDateTime.parse("2027-06-08T09:00:00Z");

        db.update("UPDATE courses SET start_at = ? WHERE id IN (30, 31)", moved); // one poll claims both

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("course-dates", 31))
                && "DONE".equals(accessplanit.syncState("course-dates", 30)));
        assertThat(dates(moodleId)).containsExactly(moved.toEpochSecond(), null);
        assertThat(updateCalls(99999)).singleElement().satisfies(call ->
                assertThat(call.param("courses[1][id]")).as("sent in one call with course 30").isNotNull());
        Map<String, Object> entry = db.rows("SELECT * FROM dead_letter WHERE entity_type = 'course-dates'"
                + " AND entity_id = 31").get(0);
        assertThat(entry).containsEntry("error_code", "invalidrecord").containsEntry("error_class", "bad-data")
                .containsEntry("moodle_function", UPDATE).containsEntry("state", "OPEN");
        assertThat(entry.get("error_message").toString()).contains("Can't find data record in database table course");
        assertThat(entry.get("moodle_params").toString()).contains("99999").doesNotContain(TOKEN);

        awaitPolls(3);
        assertThat(updateCalls(99999)).as("a dead-lettered course waits for an operator").hasSize(1);
    }

    @Test
    void aChangeMadeWhileThePushIsInFlightIsNotLost() {
        long moodleId = site.addCourse("EXISTING-40", "Set up in Moodle", "", CATEGORY).id();
        accessplanit.template(40, "aims", null);
        accessplanit.course(40, 40, "Typed-in Moodle id", "CLASSROOM", OffsetDateTime.parse("2027-07-01T09:00:00Z"),
                null, true, moodleId);
        eventually().until(() -> db.count("SELECT count(*) FROM course_dates WHERE course_id = 40") == 1);
        OffsetDateTime first = OffsetDateTime.parse("2027-07-02T09:00:00Z");
        OffsetDateTime second = OffsetDateTime.parse("2027-07-03T09:00:00Z");
        moodle.setResponseDelay(Duration.ofSeconds(2));
        try {
            db.update("UPDATE courses SET start_at = ? WHERE id = 40", first);
            eventually().until(() -> updateCalls(moodleId).size() == 1); // Moodle has it; the answer is on its way
            db.update("UPDATE courses SET start_at = ? WHERE id = 40", second);
        } finally {
            moodle.setResponseDelay(Duration.ZERO);
        }

        eventually().until(() -> dates(moodleId).equals(java.util.Arrays.asList(second.toEpochSecond(), null)));
        eventually().until(() -> "DONE".equals(accessplanit.syncState("course-dates", 40)));
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).hasSize(2);
        assertThat(db.value("SELECT pushed_startdate FROM course_dates WHERE course_id = 40"))
                .isEqualTo(second.toEpochSecond());
    }

    /** The update calls that named this Moodle course. */
    private List<RecordedCall> updateCalls(long moodleId) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals(UPDATE) && call.params().stream()
                .anyMatch(p -> p.getKey().matches("courses\\[\\d+]\\[id]") && p.getValue().equals(Long.toString(moodleId))))
                .toList();
    }

    /** The course's start and end in Moodle (null: not set). */
    private List<Long> dates(long moodleId) {
        Course course = site.courseById(moodleId).orElseThrow();
        return java.util.Arrays.asList(course.startdate(), course.enddate());
    }

    private void awaitPolls(int polls) {
        NotifyBuilder notify = new NotifyBuilder(context).fromRoute("poll-course-dates").whenCompleted(polls).create();
        assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of poll-course-dates").isTrue();
    }
}
