package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The functions issue 11 (changes reach Moodle) needs beyond the first ones, as transcripts 145-166 show:
 * enrol_manual_unenrol_users (enrol/manual/externallib.php unenrol_users), and core_user_update_users
 * (transcripts 167-184; user/externallib.php update_users) for the fields the integration sends. Suspending and re-activating are
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

    static final ExternalFunction UPDATE_USERS = new ExternalFunction("core_user_update_users", "2022112810",
            single("users", multiple(single(
                    "id", value(Param.INT),
                    "firstname", optional(Param.NOTAGS),
                    "lastname", optional(Param.NOTAGS),
                    "email", optional(Param.RAW)))),
            ChangesExternal::updateUsers);

    /**
     * One transaction, but each user's problem (unknown id, invalid or duplicate email) is caught and answered as a
     * warning for that user, and the others are updated (transcripts 169, 170, 175, 179, 180). A parameter that
     * fails its type (HTML in a name, 171) refuses the whole call before anything.
     */
    private static JsonNode updateUsers(WsCall call) {
        if (!call.capable()) {
            throw MoodleException.noPermissions("Update user profiles");
        }
        MoodleSite site = call.site();
        return site.transaction(() -> {
            ArrayNode warnings = Json.array();
            for (Params update : call.params().structures("users")) {
                long id = update.longValue("id");
                try {
                    User existing = site.findUser(id).orElseThrow(
                            () -> MoodleException.moodle("invaliduserid", "Invalid user ID"));
                    String email = update.has("email") ? update.string("email") : existing.email();
                    if (!email.equals(existing.email())) {
                        if (!MoodleLib.validateEmail(email)) {
                            throw MoodleException.moodle("useremailinvalid", "error/useremailinvalid");
                        }
                        boolean taken = site.users().stream().anyMatch(
                                other -> other.id() != id && other.email().equalsIgnoreCase(email));
                        if (taken) {
                            throw MoodleException.moodle("useremailduplicate", "Duplicate address");
                        }
                    }
                    site.updateUser(new User(id, existing.username(),
                            update.has("firstname") ? update.string("firstname") : existing.firstname(),
                            update.has("lastname") ? update.string("lastname") : existing.lastname(),
                            email, existing.idnumber(), existing.auth(), existing.city(), existing.country()));
                } catch (MoodleException e) {
                    ObjectNode warning = warnings.addObject();
                    warning.put("item", "user");
                    warning.put("itemid", id);
                    warning.put("warningcode", e.errorcode());
                    warning.put("message", e.getMessage());
                }
            }
            ObjectNode answer = Json.object();
            answer.set("warnings", warnings);
            return answer;
        });
    }
}
