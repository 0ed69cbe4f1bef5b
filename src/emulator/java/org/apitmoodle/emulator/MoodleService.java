package org.apitmoodle.emulator;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The external service the integration's tokens belong to ("APIT" on the recording site) and its functions. */
final class MoodleService {

    /** The service's functions, in the order core_webservice_get_site_info lists them. */
    static final List<ExternalFunction> FUNCTIONS = List.of(
            CoreCourseExternal.CREATE_COURSES,
            CoreCourseExternal.UPDATE_COURSES,
            CoreCourseExternal.GET_COURSES_BY_FIELD,
            CoreCourseExternal.GET_CATEGORIES,
            CoreUserExternal.CREATE_USERS,
            CoreUserExternal.GET_USERS_BY_FIELD,
            EnrolExternal.MANUAL_ENROL_USERS,
            EnrolExternal.GET_ENROLLED_USERS,
            ReportExternal.GET_GRADE_ITEMS,
            ReportExternal.GET_COURSE_COMPLETION_STATUS,
            WebserviceExternal.GET_SITE_INFO);

    /**
     * The functions of the second recording rig's service (transcripts 145-284) the integration calls, offered too
     * unless the site is set to the first rig's service ({@link MoodleSite#setFirstRigService}).
     */
    static final List<ExternalFunction> SECOND_RIG_FUNCTIONS = List.of(EnrolExternal.MANUAL_UNENROL_USERS,
            CoreUserExternal.UPDATE_USERS, GroupExternal.CREATE_GROUPS, GroupExternal.GET_COURSE_GROUPS,
            GroupExternal.ADD_GROUP_MEMBERS, GroupExternal.DELETE_GROUP_MEMBERS);

    /**
     * The functions of the third recording rig's service (transcripts 289-326) that the others lacked and the
     * integration calls: copying a course, and reading a course's content (the tests read a copy's with it). Offered
     * too unless the site is set to the first rig's service.
     */
    static final List<ExternalFunction> THIRD_RIG_FUNCTIONS = List.of(CoreCourseExternal.DUPLICATE_COURSE,
            CoreCourseExternal.GET_CONTENTS);

    /**
     * Functions Moodle has but the service does not offer, which answer accessexception rather than the
     * invalidrecord of a name Moodle does not know. The common ones; Moodle 4.1 has several hundred.
     */
    static final Set<String> OTHER_MOODLE_FUNCTIONS = Set.of(
            "core_user_update_users", "core_user_delete_users", "core_user_get_users", "core_user_get_course_user_profiles",
            "core_course_get_courses", "core_course_delete_courses", "core_course_search_courses", "core_course_create_categories",
            "core_course_update_categories", "core_course_delete_categories", "core_enrol_get_users_courses",
            "core_enrol_get_course_enrolment_methods", "enrol_manual_unenrol_users", "enrol_self_enrol_user",
            "core_role_assign_roles", "core_role_unassign_roles", "core_group_create_groups",
            "core_group_add_group_members", "core_group_delete_group_members", "core_group_get_course_groups",
            "core_group_get_group_members", "core_grades_update_grades",
            "gradereport_user_get_grades_table", "core_completion_mark_course_self_completed",
            "core_completion_get_activities_completion_status", "core_cohort_add_cohort_members",
            "core_message_send_instant_messages");

    /**
     * Functions the emulator has but the APIT service of the first recording site did not offer; a test adds them
     * to the service ({@link MoodleEmulator#addToService}), as an administrator would: the second rig's above, and
     * two more it had that the integration never calls. The same objects: one implementation per function.
     */
    static final List<ExternalFunction> MORE_FUNCTIONS = Stream.concat(SECOND_RIG_FUNCTIONS.stream(),
            Stream.of(EnrolExternal.GET_USERS_COURSES, GroupExternal.GET_GROUP_MEMBERS)).toList();

    private MoodleService() {
    }

    static Optional<ExternalFunction> more(String name) {
        return MORE_FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    static Optional<ExternalFunction> function(String name) {
        return Stream.of(FUNCTIONS, SECOND_RIG_FUNCTIONS, THIRD_RIG_FUNCTIONS).flatMap(List::stream)
                .filter(f -> f.name().equals(name)).findFirst();
    }

    /** The functions the site's service offers, in the order core_webservice_get_site_info lists them. */
    static List<ExternalFunction> offered(MoodleSite site) {
        return site.firstRigService() ? FUNCTIONS
                : Stream.of(FUNCTIONS, SECOND_RIG_FUNCTIONS, THIRD_RIG_FUNCTIONS).flatMap(List::stream).toList();
    }

    /** Whether Moodle has a function of this name (in this service or not). */
    static boolean exists(String name) {
        return function(name).isPresent() || OTHER_MOODLE_FUNCTIONS.contains(name);
    }
}
