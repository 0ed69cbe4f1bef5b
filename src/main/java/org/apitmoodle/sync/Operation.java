package org.apitmoodle.sync;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sync operations: the one list that claims (sync_state.entity_type), the dead-letter queue (its filters and
 * replay), the log lines, the metrics and the backlog use. Adding an operation starts here.
 *
 * <p>{@link #key()} is what the integration's tables store and operators type ({@code entityType=user}); each
 * operation's records are identified by one column of its claimed rows ({@link #idColumn()}).
 */
public enum Operation {
    /** Classroom and webinar courses created in Moodle; their Moodle id written back. */
    COURSE("course", "course_id", "courses"),
    /** Users booked onto a Moodle course created in Moodle; their Moodle id written back. */
    USER("user", "user_id", "users"),
    /** Bookings (delegates) enrolled in Moodle with the configured role. */
    ENROLMENT("enrolment", "delegate_id", "enrolments"),
    /** Changed start and end dates of synced courses sent to Moodle. */
    COURSE_DATES("course-dates", "course_id", "course dates"),
    /** Delegates' scores and completion read back from Moodle. */
    GRADES("grades", "delegate_id", "grades"),
    /**
     * Enrolments the integration made (moodle_enrolment) suspended or unenrolled: the booking was cancelled,
     * deleted, or moved to another Moodle course.
     */
    CANCELLATION("cancellation", "enrolment_id", "cancellations"),
    /** Enrolments the integration suspended made active again: the booking is active again. */
    REACTIVATION("reactivation", "enrolment_id", "re-activations"),
    /** Changed Moodle fields of users in Moodle sent (only the changed fields: fields/user.sql). */
    USER_UPDATE("user-update", "user_id", "user updates"),
    /** Changed Moodle fields but the dates of courses the integration created sent (fields/course.sql). */
    COURSE_DETAILS("course-details", "course_id", "course details"),
    /** A Moodle group made (or adopted) per course date on a shared Moodle course. */
    GROUP("group", "course_id", "groups"),
    /** Learners the integration enrolled put in their date's group. */
    GROUP_MEMBER("group-member", "enrolment_id", "group members"),
    /** Learners taken out of the old date's group after a move. */
    GROUP_LEAVE("group-leave", "enrolment_id", "group leaves");

    private final String key;
    private final String idColumn;
    private final String plural;

    Operation(String key, String idColumn, String plural) {
        this.key = key;
        this.idColumn = idColumn;
        this.plural = plural;
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
            case COURSE, COURSE_DETAILS -> MoodleFields.COURSES;
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
