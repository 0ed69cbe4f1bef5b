package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;

/**
 * accessplanit classroom and webinar courses to Moodle's core_course_create_courses, and Moodle's answer back
 * to the course ids to write to accessplanit.
 *
 * <p>shortname = shortname prefix + course ID (unique and never changing, unlike a label), idnumber = ID number
 * prefix + course ID, categoryid from configuration, and the course's Moodle fields as fields/course.sql selects
 * them (fullname = label, summary = the template's aims, startdate and enddate in Unix seconds ... see
 * {@link MoodleFields}).
 */
public final class CourseMapper implements SyncMapper {

    /** Moodle's column sizes: longer values make Moodle fail the whole call with a database error. */
    static final int FULLNAME_MAX = 254;
    static final int SHORTNAME_MAX = 255;
    static final int IDNUMBER_MAX = 100;

    private final long categoryId;
    private final String shortnamePrefix;
    private final String idnumberPrefix;

    public CourseMapper(long categoryId, String shortnamePrefix, String idnumberPrefix) {
        this.categoryId = categoryId;
        this.shortnamePrefix = shortnamePrefix;
        this.idnumberPrefix = idnumberPrefix;
    }

    static final String LOOK_UP_FUNCTION = "core_course_get_courses_by_field";

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        return createCoursesRequest(courses);
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        return createdCourses(courses, answer);
    }

    /** When course custom fields were sent, the courses made read back, to see what Moodle kept. */
    @Override
    public List<MoodleCall> checks(List<Map<String, Object>> courses, JsonNode answer) {
        if (courses.stream().noneMatch(course -> MoodleFields.COURSES.hasCustomValues(MoodleFields.COURSES.of(course)))) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        answer.forEach(created -> ids.add(created.path("id").asLong()));
        return MoodleFields.COURSES.readBack(ids);
    }

    /**
     * A value Moodle did not keep is not noted as sent: the course is made and written back, and the update of
     * changed courses sends it again, and dead-letters the course with a sentence if Moodle drops it again.
     */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer,
            List<JsonNode> checkAnswers) {
        List<Map<String, Object>> rows = createdCourses(courses, answer);
        if (checkAnswers.isEmpty()) {
            return rows;
        }
        MoodleFields.COURSES.noteKept(courses, rows, CourseMapper::detailsOf,
                MoodleFields.COURSES.kept(checkAnswers.get(0)), "course_id");
        return rows;
    }

    /** One look-up by ID number per course: Moodle's look-up takes one value. */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> courses) {
        return courses.stream().map(course -> new MoodleCall(LOOK_UP_FUNCTION, lookUpRequest(course))).toList();
    }

    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> courses, List<JsonNode> lookUpAnswers) {
        return alreadyInMoodle(courses, lookUpAnswers);
    }

    /** The parameters of one core_course_create_courses call for these courses. */
    public Map<String, Object> createCoursesRequest(List<Map<String, Object>> courses) {
        return Records.request("courses", courses, this::moodleCourse);
    }

    /**
     * One course of the call: what the integration sets (shortname, categoryid, idnumber), then the course's Moodle
     * fields as the SQL selected them (fields/course.sql), each checked by Moodle's rule.
     */
    Map<String, Object> moodleCourse(Map<String, Object> course) {
        long id = Records.id(course, "course_id");
        if (course.get("elearning_template_id") != null) {
            throw new BadRecordException("elearningtemplatewithoutmoodleid", "The e-learning course is ticked"
                    + " Sync to Moodle, but its course template (" + course.get("elearning_template_id") + " in"
                    + " accessplanit) has no Moodle course id. Enter the Moodle course's id (from its URL in Moodle)"
                    + " on the course template, then replay.").forRecord(course, null);
        }
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("shortname", shortname(id));
        moodle.put("categoryid", categoryId);
        moodle.put("idnumber", idnumberPrefix + id);
        Map<String, Object> fields = MoodleFields.COURSES.of(course);
        try {
            // What Moodle needs, with its own sentences, before each column by its rule.
            Map<String, Object> named = new LinkedHashMap<>(moodle);
            named.put("fullname", Records.text(course, "fullname"));
            named.put("startdate", Records.optionalLong(course, "startdate"));
            named.put("enddate", Records.optionalLong(course, "enddate"));
            check(named);
            MoodleFields.COURSES.put(fields, moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(course, moodle);
        }
        return moodle;
    }

    /**
     * What Moodle would reject for the whole call (or store wrongly), found before sending it: of a course made empty,
     * or copied from its template ({@link CourseCopyMapper}, {@link CopiedCourseMapper}). Takes fullname, shortname,
     * idnumber, startdate and enddate; one left out is not checked.
     */
    static void check(Map<String, Object> moodle) {
        String label = Records.required(moodle, "fullname", "nolabel",
                "The course has no label; Moodle needs it as the course name.");
        Records.maxLength(label, FULLNAME_MAX, "labeltoolong", "The course label");
        // fullname and shortname are PARAM_TEXT in core_course_create_courses.
        Records.noMarkup(label, "markupinlabel", "The course label");
        Records.noMarkup((String) moodle.get("shortname"), "markupinshortname", "The course short name");
        Records.maxLength((String) moodle.get("shortname"), SHORTNAME_MAX, "shortnametoolong", "The course short name");
        Records.maxLength((String) moodle.get("idnumber"), IDNUMBER_MAX, "idnumbertoolong", "The course ID number");
        Long start = (Long) moodle.get("startdate");
        Long end = (Long) moodle.get("enddate");
        if (start == null) {
            throw new BadRecordException("nostartdate", "The course has no start date.");
        }
        if (end != null && end < start) {
            throw new BadRecordException("endbeforestart", "The course ends before it starts.");
        }
    }

    /** The parameters of one core_course_get_courses_by_field call that looks a course up by its ID number. */
    public Map<String, Object> lookUpRequest(Map<String, Object> course) {
        return Map.of("field", "idnumber", "value", idnumberPrefix + Records.id(course, "course_id"));
    }

    /**
     * The courses of the batch that are in Moodle already (created by an earlier attempt whose answer never came
     * back), from the answers of one look-up per course: rows of course_id and moodle_id, ready to be written back
     * instead of creating them twice. A Moodle course ID number is unique, so the one that carries ours is ours.
     */
    public List<Map<String, Object>> alreadyInMoodle(List<Map<String, Object>> courses, List<JsonNode> lookUps) {
        Map<String, Long> moodleIdByIdnumber = new LinkedHashMap<>();
        for (JsonNode answer : lookUps) {
            for (JsonNode found : answer.path("courses")) {
                moodleIdByIdnumber.put(found.path("idnumber").asText(), found.path("id").asLong());
            }
        }
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            long id = Records.id(course, "course_id");
            Long moodleId = moodleIdByIdnumber.get(idnumberPrefix + id);
            if (moodleId != null) {
                adopted.add(written(id, moodleId, null, null));
            }
        }
        return adopted;
    }

    String shortname(long courseId) {
        return shortnamePrefix + courseId;
    }

    /**
     * Pairs Moodle's answer ({@code [{"id":..,"shortname":..}]}) with the courses sent:
     * rows of course_id and moodle_id, ready to be written back.
     */
    public List<Map<String, Object>> createdCourses(List<Map<String, Object>> courses, JsonNode answer) {
        Map<String, Long> moodleIdByShortname = new LinkedHashMap<>();
        for (JsonNode created : answer) {
            moodleIdByShortname.put(created.path("shortname").asText(), created.path("id").asLong());
        }
        List<Map<String, Object>> saved = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            long id = Records.id(course, "course_id");
            Long moodleId = moodleIdByShortname.get(shortname(id));
            if (moodleId == null) {
                throw new IllegalStateException("Moodle's answer does not name course " + shortname(id) + ": " + answer);
            }
            Map<String, Object> row = written(id, moodleId, Records.optionalLong(course, "startdate"),
                    Records.optionalLong(course, "enddate"));
            // The other fields sent, noted as what Moodle holds (course_details_sent); the dates go to course_dates.
            row.put(MoodleFields.SENT_FIELDS, MoodleFields.json(detailsOf(course)));
            saved.add(row);
        }
        return saved;
    }

    /**
     * A row to write back: the course, its Moodle id, and the dates Moodle was sent for it (null when not known,
     * as for a course adopted from Moodle), so that the date sync sends only later changes.
     */
    private static Map<String, Object> written(long courseId, long moodleId, Long startDate, Long endDate) {
        Map<String, Object> row = new HashMap<>();
        row.put("course_id", courseId);
        row.put("moodle_id", moodleId);
        row.put("start_date", startDate);
        row.put("end_date", endDate);
        // Not known for a course adopted from Moodle: its fields are sent once.
        row.put(MoodleFields.SENT_FIELDS, null);
        return row;
    }

    /** A course's Moodle fields but the dates, which the operation course-dates sends and notes. */
    static Map<String, Object> detailsOf(Map<String, Object> course) {
        Map<String, Object> details = MoodleFields.COURSES.of(course);
        details.remove("startdate");
        details.remove("enddate");
        return details;
    }
}
