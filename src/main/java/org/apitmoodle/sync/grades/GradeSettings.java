package org.apitmoodle.sync.grades;

import org.apitmoodle.SettingsReader;
import org.quartz.CronExpression;

/** grades.*: scores and completion read back from Moodle. */
public record GradeSettings(boolean enabled, String cron, int pageSize, int moodleCallsInFlight, int pollDaysAfterEnd,
        String completionRecheck) {

    public static GradeSettings read(SettingsReader settings) {
        boolean enabled = settings.bool("grades.enabled");
        String cron = settings.required("grades.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw settings.invalid("grades.cron", "must be a Quartz cron expression (seconds minutes hours"
                    + " day-of-month month day-of-week, like 0 0/15 * * * ?), but is '" + cron + "'");
        }
        int pageSize = settings.positiveInt("grades.page-size", "the delegates read per page");
        int callsInFlight = settings.positiveInt("grades.moodle-calls-in-flight",
                "how many of the grade poll's Moodle calls may be in flight at once");
        int daysAfterEnd = settings.wholeNumber("grades.poll-days-after-end",
                "days after a course's end its delegates are still polled");
        // Checked here; the SQL reads it as a PostgreSQL interval.
        settings.interval("grades.completion-recheck");
        return new GradeSettings(enabled, cron, pageSize, callsInFlight, daysAfterEnd,
                settings.required("grades.completion-recheck"));
    }
}
