package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apitmoodle.moodle.MoodleCall;

/**
 * A Moodle group per accessplanit course (date) on a shared Moodle course, with core_group_create_groups. Rows of
 * claim-groups.sql. The group's idnumber is the course's ID number (moodle.course.idnumber-prefix + course id, unique
 * per Moodle course: transcript 237), its name the label and the dates. The Moodle course's groups are looked up
 * first (core_group_get_course_groups, transcript 239): a group with our idnumber (an earlier attempt's, or one an
 * administrator made) is adopted, never made twice.
 */
public final class GroupMapper implements SyncMapper {

    static final String LOOK_UP_FUNCTION = "core_group_get_course_groups";
    /** groups.name is varchar(254). */
    static final int NAME_MAX = 254;

    private final String idnumberPrefix;

    public GroupMapper(String idnumberPrefix) {
        this.idnumberPrefix = idnumberPrefix;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> courses) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("courseid", Records.id(course, "moodle_course_id"));
            group.put("name", name(course));
            group.put("description", "");
            group.put("descriptionformat", 1);
            group.put("idnumber", idnumber(course));
            groups.add(group);
        }
        return Map.of("groups", groups);
    }

    /** "Fire Safety (2027-03-01)", or with both days when it ends on another: "... (2027-03-01 to 2027-03-02)". */
    static String name(Map<String, Object> course) {
        String start = Records.text(course, "start_day");
        String end = Records.text(course, "end_day");
        String days = start == null ? "" : " (" + start + (end == null || end.equals(start) ? "" : " to " + end) + ")";
        String label = String.valueOf(Records.text(course, "label"));
        if (label.length() + days.length() > NAME_MAX) {
            label = label.substring(0, NAME_MAX - days.length());
        }
        return label + days;
    }

    private String idnumber(Map<String, Object> course) {
        return idnumberPrefix + Records.id(course, "course_id");
    }

    /** One look-up per Moodle course of the batch. */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> courses) {
        Set<Long> moodleCourses = new LinkedHashSet<>();
        courses.forEach(course -> moodleCourses.add(Records.id(course, "moodle_course_id")));
        return moodleCourses.stream().map(id -> new MoodleCall(LOOK_UP_FUNCTION, Map.of("courseid", id))).toList();
    }

    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> courses, List<JsonNode> lookUpAnswers) {
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            Long found = find(lookUpAnswers, Records.id(course, "moodle_course_id"), idnumber(course));
            if (found != null) {
                adopted.add(row(course, found));
            }
        }
        return adopted;
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> courses, JsonNode answer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            Long made = find(List.of(answer), Records.id(course, "moodle_course_id"), idnumber(course));
            if (made == null) {
                throw new IllegalStateException("Moodle's answer does not name the group " + idnumber(course) + ": " + answer);
            }
            rows.add(row(course, made));
        }
        return rows;
    }

    private static Long find(List<JsonNode> answers, long moodleCourseId, String idnumber) {
        for (JsonNode answer : answers) {
            for (JsonNode group : answer) {
                if (group.path("courseid").asLong() == moodleCourseId && idnumber.equals(group.path("idnumber").asText())) {
                    return group.path("id").asLong();
                }
            }
        }
        return null;
    }

    private static Map<String, Object> row(Map<String, Object> course, long groupId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("course_id", Records.id(course, "course_id"));
        row.put("moodle_course_id", Records.id(course, "moodle_course_id"));
        row.put("moodle_group_id", groupId);
        return row;
    }
}
