package org.apitmoodle.emulator;

/**
 * A manual enrolment (user_enrolments row) with its role assignment. {@code timestart} and {@code timeend} are epoch
 * seconds, 0 when not set, as Moodle stores them.
 */
public record Enrolment(long userId, long courseId, long roleId, boolean suspended, long timestart, long timeend) {
}
