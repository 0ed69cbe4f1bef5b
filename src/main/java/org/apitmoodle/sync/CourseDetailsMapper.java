package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apitmoodle.moodle.BadRecordException;

/**
 * A changed label or template aims of a course the integration created, to core_course_update_courses: only what
 * changed since Moodle was last sent it (fullname, or summary with summaryformat HTML; transcript 229). Rows of
 * claim-course-details.sql. A course Moodle warns about (invalidrecord: deleted in Moodle) is dead-lettered alone.
 */
public final class CourseDetailsMapper implements SyncMapper {

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        List<Map<String, Object>> moodleCourses = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            moodleCourses.add(moodleCourse(course));
        }
        return Map.of("courses", moodleCourses);
    }

    Map<String, Object> moodleCourse(Map<String, Object> course) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("id", Records.id(course, "moodle_id"));
        try {
            if (!Objects.equals(course.get("label"), course.get("sent_fullname"))) {
                String label = Records.required(course, "label", "nolabel",
                        "The course has no label; Moodle needs it as the course name.");
                Records.maxLength(label, CourseMapper.FULLNAME_MAX, "labeltoolong", "The course label");
                moodle.put("fullname", label);
            }
            if (!Objects.equals(course.get("aims"), course.get("sent_summary"))) {
                String aims = Records.text(course, "aims");
                moodle.put("summary", aims == null ? "" : aims);
                moodle.put("summaryformat", 1); // HTML, as at creation
            }
        } catch (BadRecordException e) {
            throw e.forRecord(course, moodle);
        }
        return moodle;
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).updated(courses);
    }

    @Override
    public List<Refusal> refused(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).refused(courses, "name and summary");
    }
}
