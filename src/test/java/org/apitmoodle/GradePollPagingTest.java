package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
 * The grade poll at scale, in small: it pages through the open delegates (pages of 3 here), leaves out courses that
 * ended more than grades.poll-days-after-end days ago, and remembers which Moodle courses have no completion
 * criteria, asking again after grades.completion-recheck. Each test uses its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "course-dates.enabled=false",
        "grades.page-size=3", "grades.poll-days-after-end=30", "grades.completion-recheck=1 day"},
        replaceRouteFromWith = {"poll-grades=direct:poll-grades"})
class GradePollPagingTest extends SyncTestSupport {

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

    /** A classroom course with delegates (= users) {@code first..last}, enrolled in Moodle. */
    private long enrolledCourse(long course, long first, long last) {
        accessplanit.classroomCourse(course, "Course " + course);
        for (long id = first; id <= last; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
            accessplanit.delegate(id, id, course, "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE' AND entity_id BETWEEN ? AND ?", first, last) == last - first + 1);
        return accessplanit.courseMoodleId(course);
    }

    @Test
    void aPollPagesThroughTheDelegatesAndReadsEachOnce() {
        long big = enrolledCourse(100, 100, 106);  // 7 delegates: at least 3 pages
        long small = enrolledCourse(110, 110, 111);
        for (long id = 100; id <= 106; id++) {
            site.setGrade(big, moodleUser(id), 50.0 + id - 100);
        }
        site.setGrade(small, moodleUser(110), 20.0);
        site.setGrade(small, moodleUser(111), 21.0);

        List<RecordedCall> calls = pollOnce();

        for (long id = 100; id <= 106; id++) {
            assertThat(score(id)).as("delegate " + id).isEqualByComparingTo(BigDecimal.valueOf(50 + id - 100));
        }
        assertThat(score(110)).isEqualByComparingTo("20");
        assertThat(score(111)).isEqualByComparingTo("21");
        // A page holds at most 3 of the big course's delegates: its report is read once per page it spans.
        assertThat(calls(calls, GRADES, big)).hasSizeGreaterThanOrEqualTo(3);
        // Every delegate's completion asked exactly once: no page read twice, none left out at a page's edge.
        assertThat(calls(calls, COMPLETION, big)).extracting(call -> call.param("userid"))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(100, 106)
                        .mapToObj(id -> Long.toString(moodleUser(id))).toList());
    }

    @Test
    void delegatesOfACourseThatEndedLongAgoAreNotPolled() {
        long endedLongAgo = enrolledCourse(200, 200, 201);
        long endedLately = enrolledCourse(210, 210, 211);
        db.update("UPDATE courses SET start_at = now() - interval '41 days', end_at = now() - interval '40 days'"
                + " WHERE id = 200");
        db.update("UPDATE courses SET start_at = now() - interval '11 days', end_at = now() - interval '10 days'"
                + " WHERE id = 210");
        site.setGrade(endedLongAgo, moodleUser(200), 90.0);
        site.setGrade(endedLately, moodleUser(210), 80.0);

        List<RecordedCall> calls = pollOnce();

        assertThat(calls(calls, GRADES, endedLongAgo)).isEmpty();
        assertThat(calls(calls, COMPLETION, endedLongAgo)).isEmpty();
        assertThat(score(200)).isNull();
        assertThat(calls(calls, GRADES, endedLately)).hasSize(1);
        assertThat(score(210)).isEqualByComparingTo("80");
    }

    @Test
    void aCourseWithoutCompletionCriteriaIsNotAskedAgainUntilTheRecheck() {
        long course = enrolledCourse(300, 300, 302);
        site.setCourseCompletionMode(course, CompletionMode.NO_CRITERIA);

        List<RecordedCall> first = pollOnce();

        assertThat(calls(first, COMPLETION, course)).as("asked once, nocriteriaset").hasSize(1);
        assertThat(remembered(course)).containsEntry("has_completion", false);

        List<RecordedCall> second = pollOnce();

        assertThat(calls(second, COMPLETION, course)).as("remembered: not asked").isEmpty();
        assertThat(calls(second, GRADES, course)).as("scores are still read").isNotEmpty();

        // Criteria added in Moodle: not seen until the recheck is due, then every delegate is asked.
        site.setCourseCompletionMode(course, CompletionMode.CRITERIA);
        assertThat(calls(pollOnce(), COMPLETION, course)).isEmpty();
        db.update("UPDATE course_completion SET checked_at = now() - interval '25 hours' WHERE moodle_course_id = ?",
                course);

        List<RecordedCall> afterRecheck = pollOnce();

        assertThat(calls(afterRecheck, COMPLETION, course)).extracting(call -> call.param("userid"))
                .containsExactlyInAnyOrder(Long.toString(moodleUser(300)), Long.toString(moodleUser(301)),
                        Long.toString(moodleUser(302)));
        assertThat(remembered(course)).containsEntry("has_completion", true);
        assertThat(db.value("SELECT completion_status FROM delegates WHERE id = 300")).isEqualTo("INCOMPLETE");
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

    private BigDecimal score(long delegateId) {
        return (BigDecimal) db.value("SELECT score FROM delegates WHERE id = ?", delegateId);
    }

    private Map<String, Object> remembered(long moodleCourseId) {
        return db.rows("SELECT has_completion, checked_at FROM course_completion WHERE moodle_course_id = ?",
                moodleCourseId).get(0);
    }
}
