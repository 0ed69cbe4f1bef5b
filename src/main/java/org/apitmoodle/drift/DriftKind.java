package org.apitmoodle.drift;

import java.util.Arrays;
import java.util.List;

/**
 * The kinds of drift the reconcile finds: what someone changed in Moodle behind the integration's back. Each has its
 * setting {@code drift.<key>} (report or repair); the findings, the metric and the status page use these keys.
 */
public enum DriftKind {

    /** An enrolment the integration made is gone from Moodle (removed by hand). Repaired by enrolling again. */
    ENROLMENT_MISSING("enrolment-missing", true, "Enrolment removed in Moodle"),
    /** An enrolment the integration left active was suspended by someone else, while the booking is active. */
    ENROLMENT_SUSPENDED("enrolment-suspended", true, "Enrolment suspended in Moodle"),
    /** An enrolment the integration suspended for a cancelled booking was made active again by someone else. */
    ENROLMENT_REACTIVATED("enrolment-reactivated", true, "Enrolment re-activated in Moodle"),
    /** The account the user's Moodle ID points at was deleted (renamed, as Moodle does). */
    ACCOUNT_DELETED("account-deleted", true, "Account deleted in Moodle"),
    /** The account was suspended by an administrator: only reported, it is their decision. */
    ACCOUNT_SUSPENDED("account-suspended", false, "Account suspended in Moodle"),
    /** The user's Moodle ID now holds another person's account. */
    ACCOUNT_REPLACED("account-replaced", true, "Moodle ID holds another account"),
    /** The course the Moodle ID points at was deleted (or restored from a backup under a new id). */
    COURSE_DELETED("course-deleted", true, "Course deleted in Moodle"),
    /** The course's Moodle ID now holds another course (another ID number). */
    COURSE_REPLACED("course-replaced", true, "Moodle ID holds another course");

    private final String key;
    private final boolean repairable;
    private final String title;

    DriftKind(String key, boolean repairable, String title) {
        this.key = key;
        this.repairable = repairable;
        this.title = title;
    }

    public String key() {
        return key;
    }

    /** Whether {@code drift.<key> = repair} is allowed. */
    public boolean repairable() {
        return repairable;
    }

    /** What an operator reads as the finding's kind. */
    public String title() {
        return title;
    }

    /** The setting that says what is done about it. */
    public String setting() {
        return "drift." + key;
    }

    /** What is done about it unless the setting says otherwise: a missing enrolment is repaired, the rest reported. */
    public boolean repairedByDefault() {
        return this == ENROLMENT_MISSING;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(DriftKind::key).toList();
    }

    public static DriftKind of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst().orElse(null);
    }
}
