package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores and completion back from Moodle: open delegates grouped by Moodle course (one grade-report call per
 * course), Moodle's grade report read for their course totals, and their completion asked where the course has
 * completion (see {@link CourseGrades}).
 */
public final class GradeMapper {

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
        return new CourseGrades(courseId, delegates, scoreByMoodleUser);
    }

    // The steps of reading completion, one delegate at a time, for the route (see CourseGrades).

    public boolean hasNextCompletion(CourseGrades grades) {
        return grades.hasNextCompletion();
    }

    public Map<String, Object> nextCompletionRequest(CourseGrades grades) {
        return grades.nextCompletionRequest();
    }

    public void completionRead(CourseGrades grades, JsonNode answer) {
        grades.completionRead(answer);
    }

    public void courseHasNoCompletion(CourseGrades grades) {
        grades.courseHasNoCompletion();
    }

    public void delegateNotEnrolled(CourseGrades grades) {
        grades.delegateNotEnrolled();
    }

    public List<Map<String, Object>> rows(CourseGrades grades) {
        return grades.rows();
    }

    private static long moodleCourseId(List<Map<String, Object>> delegates) {
        if (delegates.isEmpty()) {
            throw new IllegalArgumentException("No delegates to read grades for");
        }
        return Records.id(delegates.get(0), "moodle_course_id");
    }
}
