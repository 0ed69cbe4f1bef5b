package org.apitmoodle.sync.operations;

import org.apitmoodle.SettingsReader;

/** course-dates.*: changed course dates sent to Moodle. */
public record CourseDatesSettings(boolean enabled) {

    public static CourseDatesSettings read(SettingsReader settings) {
        return new CourseDatesSettings(settings.bool("course-dates.enabled"));
    }
}
