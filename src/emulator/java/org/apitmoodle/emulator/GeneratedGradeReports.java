package org.apitmoodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Grade reports and completion of courses the site does not hold, made up on each call, so a benchmark can poll a
 * million delegates without the emulator holding a million users. Course {@code c} of
 * {@code firstCourse..lastCourse} has {@code usersPerCourse} users, ids {@code firstUser + (c - firstCourse) *
 * usersPerCourse} onwards, each with a course total of {@code 40 + userid % 60}; the first
 * {@code coursesWithCompletion} courses have a completion criterion (nobody complete yet), the others none
 * (nocriteriaset).
 */
public record GeneratedGradeReports(long firstCourse, long lastCourse, int usersPerCourse, long firstUser,
                                    int coursesWithCompletion) {

    boolean answers(String function, Params params) {
        if (!function.equals(ReportExternal.GET_GRADE_ITEMS.name())
                && !function.equals("core_completion_get_course_completion_status")) {
            return false;
        }
        long course = params.longValue("courseid");
        return course >= firstCourse && course <= lastCourse;
    }

    int reportedUsers(String function, Params params) {
        return function.equals(ReportExternal.GET_GRADE_ITEMS.name()) ? usersPerCourse : 0;
    }

    JsonNode answer(String function, Params params) {
        long course = params.longValue("courseid");
        if (!function.equals(ReportExternal.GET_GRADE_ITEMS.name())) {
            if (course >= firstCourse + coursesWithCompletion) {
                throw MoodleException.moodle("nocriteriaset", "No completion criteria set for this course");
            }
            ObjectNode status = Json.object().put("completed", false).put("aggregation", 1);
            status.set("completions", Json.array());
            ObjectNode answer = Json.object();
            answer.set("completionstatus", status);
            answer.set("warnings", Json.array());
            return answer;
        }
        ArrayNode usergrades = Json.array();
        long first = firstUser + (course - firstCourse) * usersPerCourse;
        for (long user = first; user < first + usersPerCourse; user++) {
            ObjectNode entry = Json.object().put("courseid", course).put("userid", user);
            ArrayNode items = Json.array();
            items.add(Json.object().put("itemtype", "course").set("graderaw", Json.number(40.0 + user % 60)));
            entry.set("gradeitems", items);
            usergrades.add(entry);
        }
        ObjectNode answer = Json.object();
        answer.set("usergrades", usergrades);
        answer.set("warnings", Json.array());
        return answer;
    }
}
