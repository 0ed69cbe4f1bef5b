package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The functions issue 11 (changes reach Moodle) needs beyond the first ones, as transcripts 145-166 show:
 * enrol_manual_unenrol_users (enrol/manual/externallib.php unenrol_users). Suspending and re-activating are
 * enrol_manual_enrol_users with suspend=1/0 ({@link EnrolExternal}), which already overwrites the dates as
 * transcripts 162 and 165 show.
 */
final class ChangesExternal {

    private ChangesExternal() {
    }

    static final ExternalFunction MANUAL_UNENROL_USERS = new ExternalFunction("enrol_manual_unenrol_users",
            "2022112800",
            single("enrolments", multiple(single(
                    "userid", value(Param.INT),
                    "courseid", value(Param.INT)))),
            ChangesExternal::manualUnenrolUsers);

    /**
     * One transaction for the batch: one bad entry rolls back the others (transcripts 155, 157). Unenrolling a user
     * who is not enrolled is no error (147). Only the manual enrolment goes; this emulator models no other methods.
     */
    private static JsonNode manualUnenrolUsers(WsCall call) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            for (Params enrolment : call.params().structures("enrolments")) {
                long userId = enrolment.longValue("userid");
                long courseId = enrolment.longValue("courseid");
                // context_course::instance(MUST_EXIST) (151), then validate_context (158).
                if (site.findCourse(courseId).isEmpty()) {
                    throw MoodleException.missingRecord("course");
                }
                call.validateCourseContext();
                if (site.findUser(userId).isEmpty()) {
                    throw MoodleException.invalidParameter("User id not exist: " + userId);
                }
                site.removeEnrolment(userId, courseId);
            }
            return NullNode.getInstance();
        });
    }
}
