package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;
import static org.apitmoodle.emulator.ExternalDescription.withDefault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;

/**
 * group/externallib.php: course groups and their members, as recorded in exchanges 234-251. The site offers the
 * functions but get_group_members, as the second recording site's service did ({@link MoodleService}). Core
 * functions: their version is the site's.
 */
final class GroupExternal {

    private GroupExternal() {
    }

    // ---- core_group_create_groups ------------------------------------------------------------------------------

    static final ExternalFunction CREATE_GROUPS = new ExternalFunction("core_group_create_groups", "2022112810",
            single("groups", multiple(single(
                    "courseid", value(Param.INT),
                    "name", value(Param.TEXT),
                    "description", value(Param.RAW),
                    "descriptionformat", withDefault(Param.INT, 1L),
                    "enrolmentkey", optional(Param.RAW),
                    "idnumber", optional(Param.RAW)))),
            GroupExternal::createGroups);

    /**
     * One transaction: a name (235) or ID number (237) already used in the course, an earlier group of the call
     * included, fails the whole call. Checked in Moodle's order: the name, the course (238), the ID number.
     */
    private static JsonNode createGroups(WsCall call) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            ArrayNode created = Json.array();
            for (Params group : call.params().structures("groups")) {
                long courseId = group.longValue("courseid");
                String name = group.string("name");
                if (name.strip().isEmpty()) {
                    throw MoodleException.invalidParameter("Invalid group name");
                }
                if (site.groupsIn(courseId).stream().anyMatch(g -> g.name().equals(name))) {
                    throw MoodleException.invalidParameter("Group with the same name already exists in the course");
                }
                validateContext(call, courseId);
                String idnumber = group.has("idnumber") ? group.string("idnumber") : "";
                if (!idnumber.isEmpty() && site.groupsIn(courseId).stream().anyMatch(g -> g.idnumber().equals(idnumber))) {
                    throw MoodleException.moodle("idnumbertaken", "This ID number is already in use");
                }
                String key = group.has("enrolmentkey") ? group.string("enrolmentkey") : null;
                MoodleSite.Group inserted = site.insertGroup(courseId, name, group.string("description"),
                        (int) group.longValue("descriptionformat"), key, idnumber);
                // The answer is the group as sent, so a missing enrolment key reads "" (234), null when read (239).
                created.add(json(inserted).put("enrolmentkey", key == null ? "" : key));
            }
            return created;
        });
    }

    // ---- core_group_get_course_groups --------------------------------------------------------------------------

    static final ExternalFunction GET_COURSE_GROUPS = new ExternalFunction("core_group_get_course_groups",
            "2022112810", single("courseid", value(Param.INT)), GroupExternal::getCourseGroups);

    private static JsonNode getCourseGroups(WsCall call) {
        MoodleSite site = call.site();
        long courseId = call.params().longValue("courseid");
        validateContext(call, courseId);
        ArrayNode groups = Json.array();
        site.groupsIn(courseId).forEach(g -> groups.add(json(g)));
        return groups;
    }

    // ---- core_group_add_group_members, core_group_delete_group_members -----------------------------------------

    static final ExternalFunction ADD_GROUP_MEMBERS = new ExternalFunction("core_group_add_group_members",
            "2022112810", single("members", multiple(single("groupid", value(Param.INT), "userid", value(Param.INT)))),
            call -> changeMembers(call, true));

    static final ExternalFunction DELETE_GROUP_MEMBERS = new ExternalFunction("core_group_delete_group_members",
            "2022112810", single("members", multiple(single("groupid", value(Param.INT), "userid", value(Param.INT)))),
            call -> changeMembers(call, false));

    /** One transaction; adding a member again or removing a non-member is no error (241, 250). */
    private static JsonNode changeMembers(WsCall call, boolean add) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            for (Params member : call.params().structures("members")) {
                MoodleSite.Group group = site.findGroup(member.longValue("groupid"))
                        .orElseThrow(() -> MoodleException.missingRecord("groups"));
                long userId = member.longValue("userid");
                site.findUser(userId).orElseThrow(MoodleException::invalidUser);
                validateContext(call, group.courseId());
                if (add && !site.isEnrolled(userId, group.courseId())) {
                    throw MoodleException.invalidParameter("Only enrolled users may be members of groups");
                }
                site.setMember(group.id(), userId, add);
            }
            return NullNode.getInstance();
        });
    }

    // ---- core_group_get_group_members --------------------------------------------------------------------------

    static final ExternalFunction GET_GROUP_MEMBERS = new ExternalFunction("core_group_get_group_members",
            "2022112810", single("groupids", multiple(value(Param.INT))), GroupExternal::getGroupMembers);

    private static JsonNode getGroupMembers(WsCall call) {
        MoodleSite site = call.site();
        ArrayNode answer = Json.array();
        for (Object id : call.params().list("groupids")) {
            MoodleSite.Group group = site.findGroup(((Number) id).longValue())
                    .orElseThrow(() -> MoodleException.missingRecord("groups"));
            validateContext(call, group.courseId());
            ArrayNode userids = Json.array();
            // groups_get_members() orders by last name, then first name.
            site.groupMembers(group.id()).stream().flatMap(userId -> site.findUser(userId).stream())
                    .sorted(Comparator.comparing(User::lastname).thenComparing(User::firstname)
                            .thenComparingLong(User::id))
                    .forEach(user -> userids.add(user.id()));
            answer.add(Json.object().put("groupid", group.id()).set("userids", userids));
        }
        return answer;
    }

    private static ObjectNode json(MoodleSite.Group g) {
        ObjectNode group = Json.object().put("id", g.id()).put("courseid", g.courseId()).put("name", g.name())
                .put("description", g.description()).put("descriptionformat", g.descriptionformat());
        if (g.enrolmentkey() == null) {
            group.putNull("enrolmentkey");
        } else {
            group.put("enrolmentkey", g.enrolmentkey());
        }
        return group.put("idnumber", g.idnumber());
    }

    /**
     * context_course::instance(IGNORE_MISSING), then validate_context(), whose failure every group function wraps:
     * a missing course (238) or one the account may not enter answers errorcoursecontextnotvalid with the reason.
     * A capability the account lacks (require_capability, after the wrap) answers as it is.
     */
    private static void validateContext(WsCall call, long courseId) {
        if (call.site().findCourse(courseId).isEmpty()) {
            throw courseContextNotValid(courseId, "Invalid parameter value detected");
        }
        try {
            call.validateCourseContext(courseId);
        } catch (MoodleException e) {
            if (e.errorcode().equals("nopermissions")) {
                throw e;
            }
            throw courseContextNotValid(courseId, e.getMessage());
        }
    }

    private static MoodleException courseContextNotValid(long courseId, String message) {
        return MoodleException.moodle("errorcoursecontextnotvalid", "You cannot execute functions in the course"
                + " context (course id:" + courseId + "). The context error message was: " + message);
    }
}
