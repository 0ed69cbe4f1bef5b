package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The group functions core_group_create_groups, core_group_get_course_groups, core_group_add_group_members and
 * core_group_delete_group_members (transcripts 234-251; group/externallib.php).
 */
final class ChangesExternal {

    private ChangesExternal() {
    }

    // ---- groups ------------------------------------------------------------------------------------------------

    static final ExternalFunction CREATE_GROUPS = new ExternalFunction("core_group_create_groups", "2022112810",
            single("groups", multiple(single(
                    "courseid", value(Param.INT),
                    "name", value(Param.TEXT),
                    "description", value(Param.RAW),
                    "descriptionformat", optional(Param.INT),
                    "idnumber", optional(Param.RAW)))),
            ChangesExternal::createGroups);

    /** All or nothing: every group is checked before any is made (transcripts 234-238). */
    private static JsonNode createGroups(WsCall call) {
        MoodleSite site = call.site();
        MoodleGroups groups = MoodleGroups.of(site);
        return site.transaction(() -> {
            List<Params> wanted = call.params().structures("groups");
            List<String> made = new java.util.ArrayList<>();
            for (Params group : wanted) {
                long courseId = group.longValue("courseid");
                String name = group.string("name");
                String idnumber = group.has("idnumber") ? group.string("idnumber") : "";
                if (name.strip().isEmpty()) {
                    throw MoodleException.invalidParameter("Invalid group name");
                }
                if (groups.inCourse(courseId).stream().anyMatch(g -> g.name().equals(name))
                        || made.contains(courseId + "/name/" + name)) {
                    throw MoodleException.invalidParameter("Group with the same name already exists in the course");
                }
                if (site.findCourse(courseId).isEmpty()) {
                    throw MoodleException.moodle("errorcoursecontextnotvalid", "You cannot execute functions in the"
                            + " course context (course id:" + courseId + "). The context error message was: Invalid"
                            + " parameter value detected");
                }
                call.validateCourseContext();
                if (!idnumber.isEmpty() && (groups.inCourse(courseId).stream().anyMatch(g -> g.idnumber().equals(idnumber))
                        || made.contains(courseId + "/idnumber/" + idnumber))) {
                    throw MoodleException.moodle("idnumbertaken", "This ID number is already in use");
                }
                made.add(courseId + "/name/" + name);
                made.add(courseId + "/idnumber/" + idnumber);
            }
            ArrayNode answer = Json.array();
            for (Params group : wanted) {
                Long format = group.optionalLong("descriptionformat");
                MoodleGroups.Group created = groups.insert(group.longValue("courseid"), group.string("name"),
                        group.string("description"), format == null ? 1 : format.intValue(),
                        group.has("idnumber") ? group.string("idnumber") : "");
                answer.add(json(created));
            }
            return answer;
        });
    }

    static final ExternalFunction GET_COURSE_GROUPS = new ExternalFunction("core_group_get_course_groups",
            "2022112810", single("courseid", value(Param.INT)), ChangesExternal::getCourseGroups);

    private static JsonNode getCourseGroups(WsCall call) {
        long courseId = call.params().longValue("courseid");
        if (call.site().findCourse(courseId).isEmpty()) {
            throw MoodleException.missingRecord("course");
        }
        call.validateCourseContext();
        ArrayNode answer = Json.array();
        for (MoodleGroups.Group group : MoodleGroups.of(call.site()).inCourse(courseId)) {
            ObjectNode one = json(group);
            one.putNull("enrolmentkey"); // as transcript 239 shows it
            answer.add(one);
        }
        return answer;
    }

    static final ExternalFunction ADD_GROUP_MEMBERS = new ExternalFunction("core_group_add_group_members",
            "2022112810",
            single("members", multiple(single("groupid", value(Param.INT), "userid", value(Param.INT)))),
            ChangesExternal::addGroupMembers);

    /** All or nothing; only enrolled users (suspended ones too) may be members (transcripts 240-247). */
    private static JsonNode addGroupMembers(WsCall call) {
        MoodleSite site = call.site();
        MoodleGroups groups = MoodleGroups.of(site);
        return site.transaction(() -> {
            List<Params> members = call.params().structures("members");
            for (Params member : checkedMembers(call, members)) {
                long userId = member.longValue("userid");
                MoodleGroups.Group group = groups.byId(member.longValue("groupid")).orElseThrow();
                if (site.enrolment(userId, group.courseId()).isEmpty()) {
                    throw MoodleException.invalidParameter("Only enrolled users may be members of groups");
                }
            }
            for (Params member : members) {
                groups.addMember(member.longValue("groupid"), member.longValue("userid"));
            }
            return NullNode.getInstance();
        });
    }

    static final ExternalFunction DELETE_GROUP_MEMBERS = new ExternalFunction("core_group_delete_group_members",
            "2022112810",
            single("members", multiple(single("groupid", value(Param.INT), "userid", value(Param.INT)))),
            ChangesExternal::deleteGroupMembers);

    /** Removing a user who is no member is no error (transcript 250). */
    private static JsonNode deleteGroupMembers(WsCall call) {
        MoodleSite site = call.site();
        MoodleGroups groups = MoodleGroups.of(site);
        return site.transaction(() -> {
            List<Params> members = call.params().structures("members");
            checkedMembers(call, members);
            for (Params member : members) {
                groups.removeMember(member.longValue("groupid"), member.longValue("userid"));
            }
            return NullNode.getInstance();
        });
    }

    /** The group (MUST_EXIST), the course context, then the user (MUST_EXIST) of each member. */
    private static List<Params> checkedMembers(WsCall call, List<Params> members) {
        for (Params member : members) {
            if (MoodleGroups.of(call.site()).byId(member.longValue("groupid")).isEmpty()) {
                throw MoodleException.missingRecord("groups");
            }
            call.validateCourseContext();
            if (call.site().findUser(member.longValue("userid")).isEmpty()) {
                throw MoodleException.invalidUser();
            }
        }
        return members;
    }

    private static ObjectNode json(MoodleGroups.Group group) {
        ObjectNode one = Json.object();
        one.put("id", group.id());
        one.put("courseid", group.courseId());
        one.put("name", group.name());
        one.put("description", group.description());
        one.put("descriptionformat", group.descriptionformat());
        one.put("enrolmentkey", "");
        one.put("idnumber", group.idnumber());
        return one;
    }
}
