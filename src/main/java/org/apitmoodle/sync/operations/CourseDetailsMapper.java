package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;

/**
 * Changed Moodle fields but the dates (fields/course.sql: the label, the template's aims and whatever columns an
 * engineer adds) of a course the integration created, to core_course_update_courses: only what changed since
 * Moodle was last sent it (a summary goes with its format). Rows of
 * claim-course-details.sql. A course Moodle warns about (invalidrecord: deleted in Moodle) is dead-lettered alone.
 */
public final class CourseDetailsMapper implements SyncMapper {

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        return Records.request("courses", courses, this::moodleCourse);
    }

    /** One course of the call: its Moodle id and the Moodle fields but the dates that changed since last sent. */
    Map<String, Object> moodleCourse(Map<String, Object> course) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("id", Records.id(course, "moodle_id"));
        Map<String, Object> details = CourseMapper.detailsOf(course);
        Map<String, Object> changed = MoodleFields.COURSES.changed(details, MoodleFields.sent(course));
        // Moodle reads a summary in its format: a changed summary goes with it, as at creation.
        if (changed.containsKey("summary") && details.containsKey("summaryformat")) {
            changed.put("summaryformat", details.get("summaryformat"));
        }
        try {
            if (changed.containsKey("fullname")) {
                String label = Records.required(course, "fullname", "nolabel",
                        "The course has no label; Moodle needs it as the course name.");
                Records.maxLength(label, CourseMapper.FULLNAME_MAX, "labeltoolong", "The course label");
            }
            MoodleFields.COURSES.put(changed, moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(course, moodle);
        }
        return moodle;
    }

    /** When changed custom fields were sent, those courses read back, to see what Moodle kept. */
    @Override
    public List<MoodleCall> checks(List<Map<String, Object>> courses, JsonNode answer) {
        return MoodleFields.COURSES.readBack(courses.stream()
                .filter(course -> MoodleFields.COURSES.hasCustomValues(changed(course)))
                .map(course -> Records.id(course, "moodle_id")).toList());
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer,
            List<JsonNode> checkAnswers) {
        Map<Long, Map<String, Object>> dropped = dropped(courses, checkAnswers);
        return written(courses.stream().filter(course -> !dropped.containsKey(Records.id(course, "course_id")))
                .toList(), answer);
    }

    /** Besides Moodle's warnings, the courses some of whose values Moodle did not keep, naming the columns. */
    @Override
    public List<Refusal> refused(List<Map<String, Object>> courses, JsonNode answer, List<JsonNode> checkAnswers) {
        return MoodleFields.COURSES.withDropped(refused(courses, answer), courses, "course_id",
                dropped(courses, checkAnswers));
    }

    private static Map<String, Object> changed(Map<String, Object> course) {
        return MoodleFields.COURSES.changed(CourseMapper.detailsOf(course), MoodleFields.sent(course));
    }

    /** The changed custom fields Moodle did not keep, by accessplanit course id. */
    private static Map<Long, Map<String, Object>> dropped(List<Map<String, Object>> courses, List<JsonNode> checks) {
        return checks.isEmpty() ? Map.of() : MoodleFields.COURSES.droppedByRecord(courses, "course_id",
                CourseDetailsMapper::changed, MoodleFields.COURSES.kept(checks.get(0)));
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).updated(courses).stream().map(course -> {
            // The write-back row: the course and every field as now sent (course_details_sent).
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("course_id", Records.id(course, "course_id"));
            row.put(MoodleFields.SENT_FIELDS, MoodleFields.json(CourseMapper.detailsOf(course)));
            return row;
        }).toList();
    }

    @Override
    public List<Refusal> refused(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).refused(courses, "name and summary");
    }
}
