package org.apitmoodle.sync;

import org.apitmoodle.sync.operations.CancellationMapper;
import org.apitmoodle.sync.operations.CopiedCourseMapper;
import org.apitmoodle.sync.operations.CourseCopyMapper;
import org.apitmoodle.sync.operations.CourseDatesMapper;
import org.apitmoodle.sync.operations.CourseDetailsMapper;
import org.apitmoodle.sync.operations.CourseMapper;
import org.apitmoodle.sync.operations.EnrolmentMapper;
import org.apitmoodle.sync.operations.GroupMapper;
import org.apitmoodle.sync.operations.GroupMembersMapper;
import org.apitmoodle.sync.operations.MoodleFields;
import org.apitmoodle.sync.operations.ReactivationMapper;
import org.apitmoodle.sync.operations.UserMapper;
import org.apitmoodle.sync.operations.UserUpdateMapper;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apitmoodle.Settings;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sync operations: the one list that claims (sync_state.entity_type), the dead-letter queue (its filters and
 * replay), the log lines, the metrics and the backlog use, and each operation's one descriptor ({@link Sync}): its
 * route on the one pipeline is made from it (SyncOperationRoutes). Adding an operation is a constant here, its SQL
 * files, and at most one class.
 *
 * <p>{@link #key()} is what the integration's tables store and operators type ({@code entityType=user}); each
 * operation's records are identified by one column of its claimed rows ({@link #idColumn()}).
 */
public enum Operation {
    /**
     * Classroom and webinar courses ticked "Sync to Moodle" with no Moodle id, created in Moodle; their Moodle id
     * written back. (An e-learning course ticked "Sync to Moodle" whose template has no Moodle course id is claimed
     * too, and dead-lettered with what to fix.)
     */
    COURSE("course", "course_id", "courses", new Sync("claim-new-courses.sql", "save-course-moodle-id.sql",
            settings -> "core_course_create_courses", settings -> settings.sync().courseBatchSize(),
            settings -> true,
            settings -> new CourseMapper(settings.categoryId(), settings.shortnamePrefix(), settings.idnumberPrefix()))),
    /**
     * Users booked onto a Moodle course who have no Moodle id, created in Moodle (Moodle mails them their login);
     * their Moodle id written back.
     */
    USER("user", "user_id", "users", new Sync("claim-new-users.sql", "save-user-moodle-id.sql",
            settings -> "core_user_create_users", settings -> settings.sync().userBatchSize(), settings -> true,
            settings -> new UserMapper(settings.usernamePrefix(), settings.userAuth(), settings.usernameFrom(),
                    settings.allowAccountsSameEmail(), settings.extendedUsernameChars()))),
    /** Bookings (delegates) whose user and course have Moodle ids, enrolled with the configured role. */
    ENROLMENT("enrolment", "delegate_id", "enrolments", new Sync("claim-new-enrolments.sql",
            "mark-delegate-enrolled.sql", settings -> "enrol_manual_enrol_users",
            settings -> settings.sync().enrolmentBatchSize(), settings -> true,
            settings -> new EnrolmentMapper(settings.roleId()))),
    /**
     * Synced classroom and webinar courses whose start or end date changed: both dates sent, the dates Moodle took
     * noted. A course Moodle warns about is dead-lettered alone.
     */
    COURSE_DATES("course-dates", "course_id", "course dates", new Sync("claim-changed-course-dates.sql",
            "save-pushed-course-dates.sql", settings -> "core_course_update_courses",
            settings -> settings.sync().courseDatesBatchSize(), settings -> settings.courseDates().enabled(),
            settings -> new CourseDatesMapper())),
    /** Delegates' scores and completion read back from Moodle (the grade poll, routes/grades.camel.yaml). */
    GRADES("grades", "delegate_id", "grades", null),
    /**
     * Enrolments the integration made (moodle_enrolment) whose booking was cancelled, deleted or moved to another
     * Moodle course (once the enrolment there is made): suspended or unenrolled, as changes.cancelled-booking says
     * (not at all under keep). The removal guard is in the claim: more than changes.max-removals-per-poll waiting
     * are held for an operator.
     */
    CANCELLATION("cancellation", "enrolment_id", "cancellations", new Sync("claim-cancellations.sql",
            "save-cancellation.sql", settings -> settings.changes().cancelledBooking().moodleFunction(),
            settings -> settings.sync().enrolmentBatchSize(),
            settings -> settings.changes().cancelledBooking().moodleFunction() != null,
            settings -> new CancellationMapper(settings.changes().cancelledBooking(), settings.roleId()))),
    /** Enrolments the integration suspended whose booking is active again, made active again (suspend=0). */
    REACTIVATION("reactivation", "enrolment_id", "re-activations", new Sync("claim-reactivations.sql",
            "save-reactivation.sql", settings -> "enrol_manual_enrol_users",
            settings -> settings.sync().enrolmentBatchSize(), settings -> true,
            settings -> new ReactivationMapper(settings.roleId()))),
    /**
     * Users in Moodle whose Moodle fields (fields/user.sql) changed: only the changed fields sent. A user Moodle
     * warns about (duplicate or invalid email, unknown id) is dead-lettered alone.
     */
    USER_UPDATE("user-update", "user_id", "user updates", new Sync("claim-user-updates.sql",
            "save-user-update.sql", settings -> "core_user_update_users",
            settings -> settings.sync().userBatchSize(), settings -> settings.changes().updateUsers(),
            settings -> new UserUpdateMapper("email".equals(settings.usernameFrom()),
                    settings.extendedUsernameChars()))),
    /** Courses the integration created whose Moodle fields but the dates (fields/course.sql) changed: sent. */
    COURSE_DETAILS("course-details", "course_id", "course details", new Sync("claim-course-details.sql",
            "save-course-details.sql", settings -> "core_course_update_courses",
            settings -> settings.sync().courseDatesBatchSize(), settings -> settings.changes().updateCourses(),
            settings -> new CourseDetailsMapper())),
    /** A Moodle group per course date on a shared Moodle course: made, or adopted by its idnumber. */
    GROUP("group", "course_id", "groups", new Sync("claim-groups.sql", "save-course-group.sql",
            settings -> "core_group_create_groups", settings -> settings.sync().courseBatchSize(),
            settings -> settings.changes().groups(), settings -> new GroupMapper(settings.idnumberPrefix()))),
    /**
     * Learners the integration enrolled put in their date's group (after the enrolment: Moodle groups only enrolled
     * users); a learner moved to another date of the same Moodle course goes into the new date's group.
     */
    GROUP_MEMBER("group-member", "enrolment_id", "group members", new Sync("claim-group-members.sql",
            "save-group-member.sql", settings -> "core_group_add_group_members",
            settings -> settings.sync().enrolmentBatchSize(), settings -> settings.changes().groups(),
            settings -> new GroupMembersMapper("moodle_group_id"))),
    /** ... and then out of the old date's group. */
    GROUP_LEAVE("group-leave", "enrolment_id", "group leaves", new Sync("claim-group-leaves.sql",
            "save-group-leave.sql", settings -> "core_group_delete_group_members",
            settings -> settings.sync().enrolmentBatchSize(), settings -> settings.changes().groups(),
            settings -> new GroupMembersMapper("left_group_id"))),
    /**
     * Classroom and webinar courses ticked "Sync to Moodle" with no Moodle id whose course template has a Moodle
     * course id (courses.copy-template-course): that course copied, one per call, with its own calls in flight
     * (courses.copy-calls-in-flight, also the page claimed) and timeout; the copy's Moodle id noted in the claim. A
     * copy an earlier attempt made is found by its short name and adopted, never made twice.
     */
    COURSE_COPY("course-copy", "course_id", "course copies", new Sync("claim-course-copies.sql",
            "save-course-copy.sql", settings -> "core_course_duplicate_course", settings -> 1,
            // Runs whatever the setting says: the waiting copies say it (a copy begun is finished).
            settings -> true,
            settings -> new CourseCopyMapper(settings.categoryId(), settings.shortnamePrefix(),
                    settings.idnumberPrefix()),
            settings -> settings.courses().copyCallsInFlight())),
    /**
     * ... then each copy given its date: its ID number, dates, summary and Moodle fields (core_course_update_courses),
     * and its Moodle id written back, as for a course created empty. Runs whatever the setting: a copy made before it
     * was switched off is finished.
     */
    COPIED_COURSE("copied-course", "course_id", "copied courses", new Sync("claim-copied-courses.sql",
            "save-course-moodle-id.sql", settings -> "core_course_update_courses",
            settings -> settings.sync().courseBatchSize(), settings -> true,
            settings -> new CopiedCourseMapper(settings.idnumberPrefix())));

    /**
     * How an operation runs on the one pipeline (routes/sync-pipeline.camel.yaml, the route template
     * sync-operation): the SQL file that claims a page of its waiting records and returns what Moodle gets (under
     * sql.location; what waits is waiting/&lt;key&gt;.sql), the one that writes back what Moodle answered, its Moodle
     * function, its batch size and whether it runs (from the settings), and the class with its own logic.
     */
    public record Sync(String claimSql, String writeBackSql, Function<Settings, String> moodleFunction,
            ToIntFunction<Settings> batchSize, Predicate<Settings> enabled, Function<Settings, SyncMapper> mapper,
            ToIntFunction<Settings> pageSize) {

        /** An operation that claims pages of sync.page-size records. */
        public Sync(String claimSql, String writeBackSql, Function<Settings, String> moodleFunction,
                ToIntFunction<Settings> batchSize, Predicate<Settings> enabled, Function<Settings, SyncMapper> mapper) {
            this(claimSql, writeBackSql, moodleFunction, batchSize, enabled, mapper,
                    settings -> settings.sync().pageSize());
        }
    }

    private final String key;
    private final String idColumn;
    private final String plural;
    private final Sync sync;

    Operation(String key, String idColumn, String plural, Sync sync) {
        this.key = key;
        this.idColumn = idColumn;
        this.plural = plural;
        this.sync = sync;
    }

    /** How the operation runs on the sync pipeline; null for the grade poll, which reads. */
    public Sync sync() {
        return sync;
    }

    /** The name stored in sync_state and dead_letter (entity_type), used in logs, metrics and requests. */
    public String key() {
        return key;
    }

    /** The column of a claimed row that holds the record's accessplanit id. */
    public String idColumn() {
        return idColumn;
    }

    /** What its records are called in a sentence ("3 users"). */
    public String plural() {
        return plural;
    }

    /**
     * The Moodle fields its claim SQL gives Moodle as data (a column per Moodle parameter, checked at start-up and
     * before sending); null for an operation that sends only ids.
     */
    public MoodleFields fields() {
        return switch (this) {
            case USER, USER_UPDATE -> MoodleFields.USERS;
            case COURSE, COURSE_DETAILS, COPIED_COURSE -> MoodleFields.COURSES;
            default -> null;
        };
    }

    /** The name of the view in the integration's schema that holds this operation's waiting records. */
    public String waitingView() {
        return "waiting_" + key.replace('-', '_');
    }

    /** The accessplanit id of one claimed row. */
    public long id(java.util.Map<String, Object> row) {
        return Records.id(row, idColumn);
    }

    /** The operation stored as {@code key}. */
    public static Operation of(String key) {
        String wanted = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
        for (Operation operation : values()) {
            if (operation.key.equals(wanted)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("entityType must be one of " + keysInWords() + ", not '" + key + "'.");
    }

    /** Every key, in order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Operation::key).toList();
    }

    /** every key, e.g. "course, user, ... or group-leave". */
    public static String keysInWords() {
        List<String> keys = keys();
        return keys.subList(0, keys.size() - 1).stream().collect(Collectors.joining(", "))
                + " or " + keys.get(keys.size() - 1);
    }

    @Override
    public String toString() {
        return key;
    }
}
