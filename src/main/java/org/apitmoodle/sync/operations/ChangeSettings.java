package org.apitmoodle.sync.operations;

import java.util.Locale;
import org.apitmoodle.SettingsReader;

/** changes.*: what changes made in accessplanit do to what the integration made in Moodle. */
public record ChangeSettings(CancellationMapper.Action cancelledBooking, int maxRemovalsPerPoll, boolean updateUsers,
        boolean updateCourses, boolean groups) {

    public static ChangeSettings read(SettingsReader settings) {
        String value = settings.required("changes.cancelled-booking").toLowerCase(Locale.ROOT);
        CancellationMapper.Action action = CancellationMapper.Action.of(value);
        if (action == null) {
            throw settings.invalid("changes.cancelled-booking", "must be suspend, unenrol or keep (what a cancelled"
                    + " booking does to its Moodle enrolment), but is '" + value + "'");
        }
        return new ChangeSettings(action, settings.positiveInt("changes.max-removals-per-poll",
                "the most enrolments one poll may suspend or unenrol before an operator confirms them"),
                settings.bool("changes.update-users"), settings.bool("changes.update-courses"),
                settings.bool("changes.groups"));
    }
}
