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
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * A classroom or webinar date copied from its course template's Moodle course: one core_course_duplicate_course
 * call per course (courseid, fullname, shortname, categoryid, visible; never options[], which Moodle refuses unless
 * the account may configure backups), and the copy's Moodle id noted. Rows of claim-course-copies.sql. The copy is
 * then given its ID number, dates, summary and fields by {@link CopiedCourseMapper}.
 *
 * <p>Never two copies. Moodle's copy takes a short name and no ID number, so the short name (prefix + accessplanit
 * course id, as for a course created empty) is what finds a copy again: before every copy, the course is looked up
 * by it. A course holding it is ours when it carries our ID number (a copy finished before), or when it has no ID
 * number and is in our category or carries the name we gave it (a copy an earlier attempt made, whose answer was lost
 * to a crash or a timeout, or one still being made): it is adopted. Any other course holding the short name is
 * someone else's: the date is dead-lettered, naming it.
 */
public final class CourseCopyMapper implements SyncMapper {

    static final String DUPLICATE_FUNCTION = "core_course_duplicate_course";

    /** What the integration's Moodle account needs to copy a course (the backup, the restore, the new course). */
    public static final String CAPABILITIES = "moodle/backup:backupcourse, moodle/backup:backuptargetimport,"
            + " moodle/restore:restorecourse, moodle/restore:restoretargetimport and moodle/course:create";

    private final long categoryId;
    private final String shortnamePrefix;
    private final String idnumberPrefix;

    public CourseCopyMapper(long categoryId, String shortnamePrefix, String idnumberPrefix) {
        this.categoryId = categoryId;
        this.shortnamePrefix = shortnamePrefix;
        this.idnumberPrefix = idnumberPrefix;
    }

    /** One copy per call: Moodle's function copies one course. */
    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        if (courses.size() != 1) {
            throw new IllegalArgumentException("A course copy is one course per call, not " + courses.size());
        }
        return copyRequest(courses.get(0));
    }

    /**
     * The parameters of the copy, once the course is checked as a course created empty would be (its label, its
     * dates): a copy is never made that could not then be given its date.
     */
    Map<String, Object> copyRequest(Map<String, Object> course) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("courseid", Records.id(course, "template_moodle_id"));
        moodle.put("fullname", Records.text(course, "fullname"));
        moodle.put("shortname", shortname(course));
        moodle.put("categoryid", categoryId);
        moodle.put("visible", visible(course.get("visible")));
        try {
            // The copy is given what a course made empty gets: the same checks.
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("fullname", Records.text(course, "fullname"));
            named.put("shortname", shortname(course));
            named.put("idnumber", idnumber(course));
            named.put("startdate", Records.optionalLong(course, "startdate"));
            named.put("enddate", Records.optionalLong(course, "enddate"));
            CourseMapper.check(named);
        } catch (BadRecordException e) {
            throw e.forRecord(course, moodle);
        }
        return moodle;
    }

    /** Moodle's visible is 0 or 1; a visible column of fields/course.sql says which (none: visible, as Moodle). */
    private static int visible(Object value) {
        if (value == null) {
            return 1;
        }
        String text = value.toString().strip();
        return text.equals("0") || text.equalsIgnoreCase("false") ? 0 : 1;
    }

    /** Before every copy (the first attempt too: a second instance, or one killed, may have made it), by short name. */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> courses) {
        return courses.stream().map(course -> new MoodleCall(CourseMapper.LOOK_UP_FUNCTION,
                Map.of("field", "shortname", "value", shortname(course)))).toList();
    }

    /**
     * The copies already in Moodle, adopted: rows of course_id and moodle_id. A course holding the short name that
     * is not ours fails the date, naming that course.
     */
    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> courses, List<JsonNode> lookUpAnswers) {
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            Map<String, Object> course = courses.get(i);
            for (JsonNode found : lookUpAnswers.get(i).path("courses")) {
                if (!found.path("shortname").asText().equals(shortname(course))) {
                    continue;
                }
                if (isOurs(course, found)) {
                    adopted.add(row(course, found.path("id").asLong()));
                } else {
                    throw new BadRecordException("shortnametaken", "Moodle already has another course with the short"
                            + " name " + shortname(course) + ": '" + found.path("fullname").asText() + "' (Moodle id "
                            + found.path("id").asLong() + (found.path("idnumber").asText().isEmpty() ? ""
                            : ", ID number " + found.path("idnumber").asText()) + "), which the integration did not"
                            + " make for this date. Give that Moodle course another short name, or type its id into"
                            + " the course date if it is this date's course, then replay.")
                            .forRecord(course, null);
                }
            }
        }
        return adopted;
    }

    /**
     * Ours: it carries our ID number (a copy given its date), or none (Moodle's copy sets none) while it is in our
     * category or carries the name we gave it.
     */
    private boolean isOurs(Map<String, Object> course, JsonNode found) {
        String idnumber = found.path("idnumber").asText();
        if (idnumber.equals(idnumber(course))) {
            return true;
        }
        return idnumber.isEmpty() && (found.path("categoryid").asLong() == categoryId
                || found.path("fullname").asText().equals(Records.text(course, "fullname")));
    }

    /** Moodle's answer {@code {"id":..,"shortname":..}}: the copy, noted in the claim. */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        Map<String, Object> course = courses.get(0);
        if (!answer.path("shortname").asText().equals(shortname(course)) || !answer.path("id").canConvertToLong()) {
            throw new IllegalStateException("Moodle's answer does not name the copy " + shortname(course) + ": "
                    + answer);
        }
        return List.of(row(course, answer.path("id").asLong()));
    }

    /**
     * What Moodle's refusal of a copy means in the integration's terms: the service or the account lacking what a
     * copy needs is a configuration error (sending pauses, naming what to add; the probe tries again); the template's
     * Moodle course gone, or the short name taken meanwhile, is the date's (dead-lettered with a sentence).
     */
    @Override
    public SyncFailure refusedCall(List<Map<String, Object>> courses, SyncFailure failure) {
        Map<String, Object> course = courses.get(0);
        String code = failure.getErrorCode();
        if ("accessexception".equals(code)) {
            return new MoodleConfigurationException(code, "Moodle's web service for the integration does not offer "
                    + DUPLICATE_FUNCTION + ", which copies a course template's Moodle course for each new course"
                    + " date. A Moodle administrator adds it to the service (Site administration > Server > Web"
                    + " services > External services; README, \"Setting up Moodle\"); or set"
                    + " courses.copy-template-course=false to create empty courses instead", true);
        }
        if ("nopermissions".equals(code) || "setting_locked_by_permission".equals(code)) {
            return new MoodleConfigurationException(code, "The integration's Moodle account may not copy courses ("
                    + failure.getMessage() + "). A Moodle administrator gives its role " + CAPABILITIES
                    + " (Site administration > Users > Permissions > Define roles); or set"
                    + " courses.copy-template-course=false to create empty courses instead", true);
        }
        if ("invalidcourseid".equals(code)) {
            return new BadRecordException("templatecoursemissing", "The course template '"
                    + Records.text(course, "template_name") + "' (" + Records.id(course, "template_id")
                    + " in accessplanit) names Moodle course " + Records.id(course, "template_moodle_id")
                    + " to copy, which Moodle does not have (deleted?). Enter the id of the Moodle course to copy on"
                    + " the course template (or clear it for an empty course), then replay.")
                    .forRecord(course, copyRequest(course));
        }
        if ("shortnametaken".equals(code)) {
            return new BadRecordException(code, "Moodle already has another course with the short name "
                    + shortname(course) + " (" + failure.getMessage() + "), made meanwhile by someone else. Give that"
                    + " Moodle course another short name, or type its id into the course date if it is this date's"
                    + " course, then replay.").forRecord(course, copyRequest(course));
        }
        return failure;
    }

    private Map<String, Object> row(Map<String, Object> course, long moodleId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("course_id", Records.id(course, "course_id"));
        row.put("moodle_id", moodleId);
        return row;
    }

    private String shortname(Map<String, Object> course) {
        return shortnamePrefix + Records.id(course, "course_id");
    }

    private String idnumber(Map<String, Object> course) {
        return idnumberPrefix + Records.id(course, "course_id");
    }
}
