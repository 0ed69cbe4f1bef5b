package org.apitmoodle.sync.grades;

import org.apitmoodle.sync.operations.CourseDatesMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleResponse;
import org.apitmoodle.moodle.MoodleWarningException;
import org.junit.jupiter.api.Test;

/** The grade and course-date mappers on Moodle's recorded answers (src/test/resources/moodle-transcripts). */
class GradesAndDatesMappersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GradeMapper grades = new GradeMapper();
    private final CourseDatesMapper dates = new CourseDatesMapper();

    @Test
    void theCourseTotalIsReadForEveryUserFromOneGradeReport() throws IOException {
        // 109: course 2, alice (user 7) 85 on "Final assessment" and so on the course total.
        CourseGrades course = grades.courseGrades(List.of(delegate(1, 7, 2), delegate(2, 99, 2)),
                answer("109-grade-items-all-users.json"));
        course.courseHasNoCompletion();

        List<Map<String, Object>> rows = course.rows();
        assertThat(rows.get(0)).containsEntry("score_read", true).containsEntry("score", new BigDecimal("85"))
                .containsEntry("completion_read", true).containsEntry("completion_status", null);
        assertThat(rows.get(1)).as("not in Moodle's report: left as it is").containsEntry("score_read", false);
    }

    @Test
    void anUngradedCourseTotalIsNoScore() throws IOException {
        CourseGrades course = grades.courseGrades(List.of(delegate(1, 7, 5)),
                answer("110-grade-items-course-without-items.json"));
        assertThat(course.rows().get(0)).containsEntry("score_read", true).containsEntry("score", null);
    }

    @Test
    void completionIsAskedPerDelegateUntilMoodleSaysTheCourseHasNone() throws IOException {
        JsonNode complete = answer("120-completion-complete.json");
        CourseGrades course = grades.courseGrades(List.of(delegate(1, 7, 4), delegate(2, 13, 4), delegate(3, 14, 4)),
                JSON.readTree("{\"usergrades\":[],\"warnings\":[]}"));
        List<Object> asked = new ArrayList<>();
        readCompletions(course, request -> {
            asked.add(request.get("userid"));
            if (asked.size() == 2) {
                throw MoodleResponse.failure("moodle_exception", "nocriteriaset", "No completion criteria set");
            }
            return complete;
        });

        assertThat(asked).containsExactly(7L, 13L);
        assertThat(course.rows().get(0)).containsEntry("completion_status", "COMPLETE")
                .containsEntry("completed_at", 1795582553L);
    }

    @Test
    void anIncompleteDelegateHasNoCompletionTimeAndOtherFailuresAreThrown() throws IOException {
        JsonNode incomplete = answer("121-completion-incomplete.json");
        CourseGrades course = grades.courseGrades(List.of(delegate(1, 13, 4), delegate(2, 7, 4)),
                JSON.readTree("{\"usergrades\":[],\"warnings\":[]}"));
        List<Object> asked = new ArrayList<>();
        assertThatThrownBy(() -> readCompletions(course, request -> {
            asked.add(request.get("userid"));
            if (asked.size() == 2) {
                throw MoodleResponse.failure("dml_missing_record_exception", "invaliduser", "Invalid user");
            }
            return incomplete;
        })).isInstanceOf(BadRecordException.class);
        assertThat(course.rows().get(0)).containsEntry("completion_status", "INCOMPLETE")
                .containsEntry("completed_at", null);
    }

    /** As the route read-course-grades does: one completion call per delegate while one is due. */
    private static void readCompletions(CourseGrades course,
            java.util.function.Function<java.util.Map<String, Object>, JsonNode> moodle) {
        while (course.hasNextCompletion()) {
            JsonNode answer;
            try {
                answer = moodle.apply(course.nextCompletionRequest());
            } catch (RuntimeException failure) {
                RuntimeException fails = course.completionRefused(failure);
                if (fails != null) {
                    throw fails;
                }
                continue;
            }
            course.completionRead(answer);
        }
    }

    @Test
    void delegatesAreGroupedByMoodleCourse() {
        var batches = grades.byMoodleCourse(List.of(delegate(1, 7, 2), delegate(2, 8, 2), delegate(3, 7, 3)));
        assertThat(batches).hasSize(2);
        assertThat(grades.gradeItemsRequest(batches.get(1))).isEqualTo(Map.of("courseid", 3L));
    }

    @Test
    void datesAreAlwaysSentTogetherAndNoEndDateIsZero() {
        Map<String, Object> request = dates.updateCoursesRequest(List.of(course(10, 2, 1795496149L, null)));
        assertThat(request).isEqualTo(Map.of("courses", List.of(
                Map.of("id", 2L, "startdate", 1795496149L, "enddate", 0L))));
        assertThatThrownBy(() -> dates.updateCoursesRequest(List.of(course(11, 3, null, 1795496149L))))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("no start date");
        assertThatThrownBy(() -> dates.updateCoursesRequest(List.of(course(12, 4, 1795496149L, 1795496000L))))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("ends before it starts");
    }

    @Test
    void aWarnedCourseIsAFailureOfItsOwnAndTheOthersAreUpdated() throws IOException {
        // 039: a batch of course 5 (updated) and 99998 (invalidrecord warning).
        JsonNode answer = answer("039-update-courses-mixed-batch.json");
        List<Map<String, Object>> batch = List.of(course(10, 5, 1L, 2L), course(11, 99998, 1L, 2L));

        assertThat(dates.updatedCourses(batch, answer)).containsExactly(batch.get(0));
        assertThat(dates.refused(batch, answer)).singleElement().satisfies(refused -> {
            assertThat(refused.record()).isEqualTo(batch.get(1));
            assertThat(refused.failure()).isInstanceOf(MoodleWarningException.class)
                    .hasMessageContaining("Can't find data record");
            assertThat(refused.failure().getErrorCode()).isEqualTo("invalidrecord");
            assertThat(refused.failure().getKind().label()).isEqualTo("bad-data");
        });
    }

    private static Map<String, Object> delegate(long delegateId, long moodleUserId, long moodleCourseId) {
        return Map.of("delegate_id", delegateId, "moodle_user_id", moodleUserId, "moodle_course_id", moodleCourseId);
    }

    private static Map<String, Object> course(long courseId, long moodleId, Long start, Long end) {
        Map<String, Object> row = new HashMap<>();
        row.put("course_id", courseId);
        row.put("moodle_id", moodleId);
        row.put("start_date", start);
        row.put("end_date", end);
        return row;
    }

    private static JsonNode answer(String transcript) throws IOException {
        try (InputStream in = GradesAndDatesMappersTest.class.getResourceAsStream("/moodle-transcripts/" + transcript)) {
            return JSON.readTree(JSON.readTree(in).path("response_body").asText());
        }
    }
}
