package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.multipleWithDefault;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;
import static org.apitmoodle.emulator.ExternalDescription.withDefault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** enrol/manual/externallib.php and enrol/externallib.php. */
final class EnrolExternal {

    /** user_get_default_fields(): what the userfields option may ask for. */
    private static final Set<String> USER_FIELDS = Set.of("id", "username", "fullname", "firstname", "lastname",
            "email", "address", "phone1", "phone2", "department", "institution", "interests", "firstaccess",
            "lastaccess", "auth", "confirmed", "idnumber", "lang", "theme", "timezone", "mailformat", "description",
            "descriptionformat", "city", "country", "profileimageurlsmall", "profileimageurl", "customfields",
            "groups", "roles", "preferences", "enrolledcourses", "suspended", "lastcourseaccess");

    private EnrolExternal() {
    }

    // ---- enrol_manual_enrol_users ------------------------------------------------------------------------------

    static final ExternalFunction MANUAL_ENROL_USERS = new ExternalFunction("enrol_manual_enrol_users", "2022112800",
            single("enrolments", multiple(single(
                    "roleid", value(Param.INT),
                    "userid", value(Param.INT),
                    "courseid", value(Param.INT),
                    "timestart", optional(Param.INT),
                    "timeend", optional(Param.INT),
                    "suspend", optional(Param.INT)))),
            EnrolExternal::manualEnrolUsers);

    /** One transaction for the batch; enrolling again overwrites the dates and the suspension. */
    private static JsonNode manualEnrolUsers(WsCall call) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            for (Params enrolment : call.params().structures("enrolments")) {
                long roleId = enrolment.longValue("roleid");
                long userId = enrolment.longValue("userid");
                long courseId = enrolment.longValue("courseid");
                if (site.findCourse(courseId).isEmpty()) {
                    throw MoodleException.invalidParameter("Context does not exist");
                }
                call.validateCourseContext(courseId);
                if (site.findRole(roleId).filter(MoodleSite.Role::assignable).isEmpty()) {
                    throw MoodleException.moodle("wsusercannotassign", "You don't have the permission to assign this role ("
                            + roleId + ") to this user (" + userId + ") in this course (" + courseId + ").");
                }
                if (!site.hasManualInstance(courseId)) {
                    throw noInstance();
                }
                if (site.findUser(userId).isEmpty() || site.isDeleted(userId)) {
                    throw MoodleException.codingError("User ID does not exist or is deleted!", "userid:" + userId);
                }
                Long suspend = enrolment.optionalLong("suspend");
                site.putEnrolment(new Enrolment(userId, courseId, roleId, suspend != null && suspend != 0,
                        orZero(enrolment.optionalLong("timestart")), orZero(enrolment.optionalLong("timeend"))));
                call.enrolled();
            }
            return NullNode.getInstance();
        });
    }

    // ---- core_enrol_get_enrolled_users -------------------------------------------------------------------------

    static final ExternalFunction GET_ENROLLED_USERS = new ExternalFunction("core_enrol_get_enrolled_users",
            "2022112810",
            single("courseid", value(Param.INT),
                    "options", multipleWithDefault(single("name", value(Param.ALPHANUMEXT), "value",
                            value(Param.RAW)), List.of())),
            EnrolExternal::getEnrolledUsers);

    // ---- enrol_manual_unenrol_users ----------------------------------------------------------------------------

    static final ExternalFunction MANUAL_UNENROL_USERS = new ExternalFunction("enrol_manual_unenrol_users",
            "2022112800",
            single("enrolments", multiple(single(
                    "userid", value(Param.INT),
                    "courseid", value(Param.INT),
                    "roleid", optional(Param.INT)))),
            EnrolExternal::manualUnenrolUsers);

    /**
     * One transaction for the batch (155-157: one bad entry leaves every enrolment as it was). The enrolment is
     * removed, not suspended (146); a user not enrolled is no error (147). Only the manual enrolment goes; the
     * emulator models no other enrolment methods. Checked in Moodle's order: the course (MUST_EXIST, 151), its
     * context (158), the manual instance (153), the user (148).
     */
    private static JsonNode manualUnenrolUsers(WsCall call) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            for (Params enrolment : call.params().structures("enrolments")) {
                long userId = enrolment.longValue("userid");
                long courseId = enrolment.longValue("courseid");
                site.findCourse(courseId).orElseThrow(() -> MoodleException.missingRecord("course"));
                call.validateCourseContext(courseId);
                if (!site.hasManualInstance(courseId)) {
                    // Moodle passes the enrolment as the exception's link, so {$a->courseid} stays unfilled (153).
                    throw new MoodleException("moodle_exception", "wsnoinstance", "Manual enrolment plugin instance"
                            + " doesn't exist or is disabled for the course (id = {$a->courseid})", null);
                }
                if (site.findUser(userId).isEmpty()) {
                    throw MoodleException.invalidParameter("User id not exist: " + userId);
                }
                site.removeEnrolment(userId, courseId);
            }
            return NullNode.getInstance();
        });
    }

    private static MoodleException noInstance() {
        return MoodleException.moodle("wsnoinstance",
                "Manual enrolment plugin instance doesn't exist or is disabled for the course (id = {$a->courseid})");
    }

    // ---- core_enrol_get_users_courses --------------------------------------------------------------------------

    static final ExternalFunction GET_USERS_COURSES = new ExternalFunction("core_enrol_get_users_courses",
            "2022112810",
            single("userid", value(Param.INT), "returnusercount", withDefault(Param.BOOL, true)),
            EnrolExternal::getUsersCourses);

    /**
     * enrol_get_users_courses($userid, true): the courses the user is ACTIVELY enrolled in; a suspended enrolment
     * (or one outside its dates) is left out (transcript 252), so a learner suspended by a teacher looks unenrolled.
     */
    private static JsonNode getUsersCourses(WsCall call) {
        MoodleSite site = call.site();
        long userId = call.params().longValue("userid");
        site.findUser(userId).orElseThrow(MoodleException::invalidUser);
        if (!call.capable()) {
            throw MoodleException.noPermissions("View participants");
        }
        boolean userCount = call.params().bool("returnusercount");
        ArrayNode courses = Json.array();
        site.enrolmentsOf(userId).stream().filter(EnrolExternal::isActive)
                .map(e -> site.findCourse(e.courseId()).orElseThrow())
                .sorted(java.util.Comparator.comparingLong(site::sortorder))
                .forEach(c -> {
                    ObjectNode course = Json.object().put("id", c.id()).put("shortname", c.shortname())
                            .put("fullname", c.fullname()).put("displayname", c.fullname());
                    if (userCount) {
                        course.put("enrolledusercount", site.enrolmentsIn(c.id()).stream()
                                .filter(EnrolExternal::isActive).count());
                    }
                    course.put("idnumber", c.idnumber()).put("visible", c.visible() ? 1 : 0)
                            .put("summary", c.summary()).put("summaryformat", c.summaryformat())
                            .put("format", c.format()).put("showgrades", true).put("lang", "")
                            .put("enablecompletion", c.enablecompletion())
                            .put("completionhascriteria", site.completionMode(c) == CompletionMode.CRITERIA)
                            .put("completionusertracked", c.enablecompletion()).put("category", c.categoryId())
                            .putNull("progress").put("completed", false)
                            .put("startdate", c.startdate() == null ? 0 : c.startdate())
                            .put("enddate", c.enddate() == null ? 0 : c.enddate()).put("marker", 0)
                            .putNull("lastaccess").put("isfavourite", false).put("hidden", false);
                    course.set("overviewfiles", Json.array());
                    course.put("showactivitydates", true).put("showcompletionconditions", true)
                            .put("timemodified", c.timemodified());
                    courses.add(course);
                });
        return courses;
    }

    /** Options withcapability, groupid, sortby and sortdirection are accepted but not modelled: id order, no groups. */
    private static JsonNode getEnrolledUsers(WsCall call) {
        MoodleSite site = call.site();
        boolean onlyActive = false;
        boolean onlySuspended = false;
        Set<String> userfields = null;
        long limitFrom = 0;
        long limitNumber = 0;
        for (Params option : call.params().structures("options")) {
            String value = option.string("value");
            switch (option.string("name")) {
                case "onlyactive" -> onlyActive = phpTruthy(value);
                case "onlysuspended" -> onlySuspended = phpTruthy(value);
                case "userfields" -> userfields = userfields(value);
                case "limitfrom" -> limitFrom = Param.phpInt(value);
                case "limitnumber" -> limitNumber = Param.phpInt(value);
                default -> { }
            }
        }
        long courseId = call.params().longValue("courseid");
        Course course = site.findCourse(courseId).orElseThrow(() -> MoodleException.missingRecord("course"));
        if (!call.capable()) {
            throw MoodleException.moodle("errorcoursecontextnotvalid", "You cannot execute functions in the course "
                    + "context (course id:" + courseId + "). The context error message was: "
                    + MoodleException.requireLogin().getMessage());
        }
        boolean active = onlyActive;
        boolean suspended = onlySuspended;
        Stream<Enrolment> enrolments = site.enrolmentsIn(courseId).stream()
                // Moodle's active participants also need an account that is not suspended.
                .filter(e -> !active || (isActive(e) && !site.isUserSuspended(e.userId())))
                .filter(e -> !suspended || !isActive(e))
                .skip(Math.max(0, limitFrom));
        if (limitNumber > 0) {
            enrolments = enrolments.limit(limitNumber);
        }
        Set<String> fields = userfields;
        ArrayNode users = Json.array();
        enrolments.map(e -> site.findUser(e.userId()).orElseThrow())
                .forEach(user -> users.add(CoreUserExternal.details(call, user, course, checked(fields))));
        return users;
    }

    private static Set<String> userfields(String value) {
        Set<String> fields = new LinkedHashSet<>();
        for (String field : value.split(",")) {
            fields.add(Param.ALPHANUMEXT.clean(field));
        }
        return fields;
    }

    /** user_get_user_details() checks the fields for each user it renders, so with nobody enrolled it never does. */
    private static Set<String> checked(Set<String> fields) {
        if (fields != null) {
            for (String field : fields) {
                if (!USER_FIELDS.contains(field)) {
                    throw MoodleException.moodle("invaliduserfield", "Invalid user field: " + field);
                }
            }
        }
        return fields;
    }

    /** An enrolment counts as active when not suspended and within its dates. */
    static boolean isActive(Enrolment enrolment) {
        long now = MoodleSite.now();
        return !enrolment.suspended() && enrolment.timestart() <= now
                && (enrolment.timeend() == 0 || enrolment.timeend() > now);
    }

    /** PHP's !empty() on a string. */
    private static boolean phpTruthy(String value) {
        return !value.isEmpty() && !value.equals("0");
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
