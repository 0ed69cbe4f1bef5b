package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;

/**
 * Changed course dates to Moodle's core_course_update_courses, and Moodle's answer back to the courses whose
 * dates Moodle took and those it warned about.
 *
 * <p>id, startdate and enddate are always sent together: Moodle applies nothing of an enddate sent without a
 * startdate. A course without an end date is sent enddate 0, Moodle's "no end date".
 */
public final class CourseDatesMapper implements SyncMapper {

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        return updateCoursesRequest(courses);
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        return updatedCourses(courses, answer);
    }

    /** The courses Moodle warned about: each goes to the dead-letter queue with Moodle's warning. */
    @Override
    public List<Refusal> refused(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).refused(courses, "dates");
    }

    /** The parameters of one core_course_update_courses call for these courses (rows of course_id, moodle_id, start_date, end_date). */
    public Map<String, Object> updateCoursesRequest(List<Map<String, Object>> courses) {
        return Records.request("courses", courses, this::moodleCourse);
    }

    Map<String, Object> moodleCourse(Map<String, Object> course) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("id", Records.id(course, "moodle_id"));
        Long start = Records.optionalLong(course, "start_date");
        Long end = Records.optionalLong(course, "end_date");
        moodle.put("startdate", start);
        moodle.put("enddate", end == null ? 0L : end);
        if (start == null) {
            throw new BadRecordException("nostartdate", "The course has no start date; Moodle keeps the one it has.")
                    .forRecord(course, moodle);
        }
        if (end != null && end < start) {
            throw new BadRecordException("endbeforestart", "The course ends before it starts.").forRecord(course, moodle);
        }
        return moodle;
    }

    /** The courses of the batch Moodle took: those its answer has no warning for. */
    public List<Map<String, Object>> updatedCourses(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).updated(courses);
    }
}
