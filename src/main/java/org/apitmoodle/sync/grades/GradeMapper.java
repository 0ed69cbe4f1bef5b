package org.apitmoodle.sync.grades;

import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.apitmoodle.sync.Records;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.SyncFailure;

/**
 * Scores and completion back from Moodle: open delegates grouped by Moodle course (one grade-report call per
 * course), Moodle's grade report read for their course totals, and their completion asked where the course has
 * completion (see {@link CourseGrades}).
 */
public final class GradeMapper {

    static final String GRADE_ITEMS_FUNCTION = "gradereport_user_get_grade_items";
    static final String COMPLETION_FUNCTION = "core_completion_get_course_completion_status";

    /**
     * The open delegates (rows of delegate_id, moodle_user_id, moodle_course_id) cut into one batch per Moodle
     * course, in the order they came.
     */
    public List<List<Map<String, Object>>> byMoodleCourse(List<Map<String, Object>> delegates) {
        Map<Long, List<Map<String, Object>>> courses = new LinkedHashMap<>();
        for (Map<String, Object> delegate : delegates) {
            courses.computeIfAbsent(Records.id(delegate, "moodle_course_id"), id -> new ArrayList<>()).add(delegate);
        }
        return List.copyOf(courses.values());
    }

    /**
     * The parameters of gradereport_user_get_grade_items: the course id only, so Moodle answers for every user
     * enrolled in it in one call.
     */
    public Map<String, Object> gradeItemsRequest(List<Map<String, Object>> delegates) {
        return Map.of("courseid", moodleCourseId(delegates));
    }

    /** The open delegates of one Moodle course, as the batch that travels with them. */
    public Batch batch(List<Map<String, Object>> delegates) {
        return Batch.of(Operation.GRADES, delegates);
    }

    /** The grade-report call for the batch's Moodle course. */
    public MoodleCall gradeItemsCall(Batch batch) {
        return batch.calling(new MoodleCall(GRADE_ITEMS_FUNCTION, gradeItemsRequest(batch.getRecords())));
    }

    /** The course totals in Moodle's grade report, for the delegates of one Moodle course. */
    public CourseGrades courseGrades(List<Map<String, Object>> delegates, JsonNode answer) {
        long courseId = moodleCourseId(delegates);
        if (!answer.path("usergrades").isArray()) {
            throw new IllegalStateException("Moodle's grade report has no usergrades: " + answer);
        }
        Map<Long, JsonNode> scoreByMoodleUser = new HashMap<>();
        for (JsonNode user : answer.path("usergrades")) {
            if (user.path("courseid").asLong(courseId) != courseId) {
                continue;
            }
            for (JsonNode item : user.path("gradeitems")) {
                // The course total; graderaw is a number, or null while ungraded.
                if ("course".equals(item.path("itemtype").asText())) {
                    scoreByMoodleUser.put(user.path("userid").asLong(), item.path("graderaw"));
                }
            }
        }
        Object known = delegates.get(0).get("course_has_completion");
        return new CourseGrades(courseId, delegates, scoreByMoodleUser, known instanceof Boolean b ? b : null);
    }

    /** Where the grade poll's paging starts. */
    public GradePage firstPage() {
        return GradePage.first();
    }

    /** Where the grade poll's paging stands after a page of rows. */
    public GradePage nextPage(GradePage page, List<Map<String, Object>> rows, int pageSize) {
        return page.after(rows, pageSize);
    }

    /** The completion call of the course's next delegate; the batch notes it, so a failure names what was sent. */
    public MoodleCall completionCall(Batch batch, CourseGrades grades) {
        return batch.calling(new MoodleCall(COMPLETION_FUNCTION, grades.nextCompletionRequest()));
    }

    /** Moodle's answer to the completion call of the course's next delegate. */
    public void completionRead(CourseGrades grades, JsonNode answer) {
        grades.completionRead(answer);
    }

    /** Moodle refused a completion call: what it means for the course (see {@link CourseGrades#completionRefused}). */
    public void completionRefused(CourseGrades grades, Throwable failure) {
        RuntimeException fails = grades.completionRefused(failure);
        if (fails != null) {
            throw fails;
        }
    }

    /** The rows to write to the delegates (see {@link CourseGrades#rows}). */
    public List<Map<String, Object>> rows(CourseGrades grades) {
        return grades.rows();
    }

    /** Moodle's failure itself when Camel wrapped it, so the route configuration sees its class and errorcode. */
    static RuntimeException unwrapped(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SyncFailure moodle) {
                return moodle;
            }
        }
        return failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
    }

    /** Moodle's errorcode of a failed call, wherever Camel wrapped it; null when it is not Moodle's answer. */
    static String moodleErrorCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SyncFailure moodle) {
                return moodle.getErrorCode();
            }
        }
        return null;
    }

    private static long moodleCourseId(List<Map<String, Object>> delegates) {
        if (delegates.isEmpty()) {
            throw new IllegalArgumentException("No delegates to read grades for");
        }
        return Records.id(delegates.get(0), "moodle_course_id");
    }
}
