package org.apitmoodle.sync.operations;

import org.apitmoodle.SettingsReader;

/**
 * courses.*: a classroom or webinar date whose course template has a Moodle course id becomes a copy of that course
 * (core_course_duplicate_course), unless {@code copyTemplateCourse} is false; copies have their own calls in flight
 * and their own timeout, being far slower than any other call.
 */
public record CourseCopySettings(boolean copyTemplateCourse, int copyCallsInFlight, long copyTimeoutMs) {

    public static CourseCopySettings read(SettingsReader settings) {
        return new CourseCopySettings(settings.bool("courses.copy-template-course"),
                settings.positiveInt("courses.copy-calls-in-flight", "course copies Moodle makes at once"),
                settings.positiveInt("courses.copy-timeout-ms", "milliseconds a course copy may take"));
    }
}
