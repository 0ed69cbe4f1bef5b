package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;

/**
 * A copy of a course template's Moodle course given its date with core_course_update_courses (no options[]): its ID
 * number (ID number prefix + course ID, as a course created empty gets), and the course's Moodle fields as
 * fields/course.sql selects them (its name, start and end, summary, custom fields ...). Moodle's copy has the
 * template's start, no end and no ID number until then. Rows of claim-copied-courses.sql; the write-back is a
 * course created empty's (save-course-moodle-id.sql): the copy's Moodle id to accessplanit and a note of what was
 * sent, so the course dates and details that change later are sent by their own operations.
 *
 * <p>Sending it again is harmless (the same values), so a copy whose update was lost to a crash or a timeout is
 * simply updated again. A copy Moodle warns about (deleted meanwhile: invalidrecord; its ID number taken:
 * courseidnumbertaken) is dead-lettered alone.
 */
public final class CopiedCourseMapper implements SyncMapper {

    private final String idnumberPrefix;

    public CopiedCourseMapper(String idnumberPrefix) {
        this.idnumberPrefix = idnumberPrefix;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        return Records.request("courses", courses, this::moodleCourse);
    }

    /** One course of the call: the copy's Moodle id, our ID number, then every Moodle field of the course. */
    Map<String, Object> moodleCourse(Map<String, Object> course) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("id", Records.id(course, "moodle_id"));
        moodle.put("idnumber", idnumberPrefix + Records.id(course, "course_id"));
        try {
            // What a course made empty is checked for (its short name stays the copy's).
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("fullname", Records.text(course, "fullname"));
            named.put("idnumber", moodle.get("idnumber"));
            named.put("startdate", Records.optionalLong(course, "startdate"));
            named.put("enddate", Records.optionalLong(course, "enddate"));
            CourseMapper.check(named);
            MoodleFields.COURSES.put(MoodleFields.COURSES.of(course), moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(course, moodle);
        }
        return moodle;
    }

    /** When custom fields were sent, the copies read back, to see what Moodle kept. */
    @Override
    public List<MoodleCall> checks(List<Map<String, Object>> courses, JsonNode answer) {
        return MoodleFields.COURSES.readBack(courses.stream()
                .filter(course -> MoodleFields.COURSES.hasCustomValues(MoodleFields.COURSES.of(course)))
                .map(course -> Records.id(course, "moodle_id")).toList());
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> course : new CourseUpdateWarnings(answer).updated(courses)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("course_id", Records.id(course, "course_id"));
            row.put("moodle_id", Records.id(course, "moodle_id"));
            row.put("start_date", Records.optionalLong(course, "startdate"));
            row.put("end_date", Records.optionalLong(course, "enddate"));
            // The other fields sent, noted as what Moodle holds (course_details_sent); the dates go to course_dates.
            row.put(MoodleFields.SENT_FIELDS, MoodleFields.json(CourseMapper.detailsOf(course)));
            rows.add(row);
        }
        return rows;
    }

    /**
     * A custom field value Moodle did not keep is not noted as sent: the course is written back, and the update of
     * changed courses sends it again (and dead-letters the course with a sentence if Moodle drops it again).
     */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer,
            List<JsonNode> checkAnswers) {
        List<Map<String, Object>> updated = new CourseUpdateWarnings(answer).updated(courses);
        List<Map<String, Object>> rows = written(updated, answer);
        if (!checkAnswers.isEmpty()) {
            MoodleFields.COURSES.noteKept(updated, rows, CourseMapper::detailsOf,
                    MoodleFields.COURSES.kept(checkAnswers.get(0)), "course_id");
        }
        return rows;
    }

    @Override
    public List<Refusal> refused(List<Map<String, Object>> courses, JsonNode answer) {
        return new CourseUpdateWarnings(answer).refused(courses, "ID number, dates and fields (it was copied from"
                + " its course template)");
    }
}
