package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.MoodleWarningException;

/**
 * Moodle's answer to core_course_update_courses: it updates the courses it can and names each one it did not in a
 * warning (itemid: the Moodle course id), instead of failing the call. Read once for the course dates and the course
 * details, which both send that call.
 */
final class CourseUpdateWarnings {

    private final Map<Long, JsonNode> byMoodleId = new HashMap<>();

    CourseUpdateWarnings(JsonNode answer) {
        for (JsonNode warning : answer.path("warnings")) {
            byMoodleId.put(warning.path("itemid").asLong(-1), warning);
        }
    }

    /**
     * The courses Moodle updated: those without a warning.
     *
     * @throws MoodleWarningException when a warning names no course of the batch: then none is known to be updated
     */
    List<Map<String, Object>> updated(List<Map<String, Object>> courses) {
        for (Map.Entry<Long, JsonNode> warning : byMoodleId.entrySet()) {
            if (courses.stream().noneMatch(course -> Records.id(course, "moodle_id") == warning.getKey())) {
                throw new MoodleWarningException(warning.getValue().path("warningcode").asText("unknown"),
                        "Moodle warned about something not in the batch: " + warning.getValue());
            }
        }
        return courses.stream().filter(course -> !byMoodleId.containsKey(Records.id(course, "moodle_id"))).toList();
    }

    /** The courses Moodle warned about, each refused with Moodle's warning: "did not update the course's {what}". */
    List<SyncMapper.Refusal> refused(List<Map<String, Object>> courses, String what) {
        List<SyncMapper.Refusal> refused = new ArrayList<>();
        for (Map<String, Object> course : courses) {
            JsonNode warning = byMoodleId.get(Records.id(course, "moodle_id"));
            if (warning != null) {
                refused.add(new SyncMapper.Refusal(course, new MoodleWarningException(
                        warning.path("warningcode").asText("unknown"),
                        "Moodle did not update the course's " + what + ": " + warning.path("message").asText(""))));
            }
        }
        return refused;
    }
}
