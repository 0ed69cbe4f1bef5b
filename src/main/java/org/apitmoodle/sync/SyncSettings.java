package org.apitmoodle.sync;

import java.time.Duration;
import org.apitmoodle.Settings;
import org.apitmoodle.SettingsReader;

/** sync.*: how the sync polls, claims and batches; and camel.main.shutdown-timeout, how long it may finish. */
public record SyncSettings(long pollPeriodMs, int pageSize, int moodleCallsInFlight, int courseBatchSize, int userBatchSize,
        int enrolmentBatchSize, int courseDatesBatchSize, Duration claimLease, String instanceId, boolean dryRun,
        int dryRunSampleSize, long dryRunReportPeriodMs, long pauseProbePeriodMs, int shutdownTimeoutSeconds,
        boolean moodleCallsAdaptive, int maxPausesPerRecord, long instanceTimeoutMs, long heartbeatPeriodMs) {

    public static SyncSettings read(SettingsReader settings) {
        String instanceId = settings.optional("sync.instance-id");
        return new SyncSettings(
                settings.positiveNumber("sync.poll-period-ms", "milliseconds between polls"),
                settings.positiveInt("sync.page-size", "the records claimed per poll"),
                settings.positiveInt("sync.moodle-calls-in-flight", "how many Moodle calls may be in flight at once"),
                settings.positiveInt("sync.course-batch-size", "courses per Moodle call"),
                settings.positiveInt("sync.user-batch-size", "users per Moodle call"),
                settings.positiveInt("sync.enrolment-batch-size", "enrolments per Moodle call"),
                settings.positiveInt("sync.course-dates-batch-size", "courses per Moodle call"),
                settings.interval("sync.claim-lease"),
                instanceId.isEmpty() ? Settings.defaultInstanceId() : instanceId,
                settings.bool("sync.dry-run"),
                settings.wholeNumber("sync.dry-run-sample-size", "records shown per entity type"),
                settings.positiveNumber("sync.dry-run-report-period-ms", "milliseconds between dry-run reports"),
                settings.positiveNumber("sync.pause-probe-period-ms", "milliseconds between asking a refusing Moodle"),
                // Camel's own, but Camel takes a malformed one for its default without a word.
                settings.positiveInt("camel.main.shutdown-timeout", "seconds in-flight work gets at shutdown"),
                settings.bool("sync.moodle-calls-adaptive"),
                settings.positiveInt("sync.max-pauses-per-record",
                        "how often one record may pause sending while Moodle answers"),
                settings.positiveNumber("sync.instance-timeout-ms",
                        "milliseconds after an instance's last heartbeat that its claims are taken over"),
                heartbeat(settings));
    }

    /** The heartbeat must come well within the instance timeout, or a healthy instance's claims look dead. */
    private static long heartbeat(SettingsReader settings) {
        long timeout = settings.positiveNumber("sync.instance-timeout-ms",
                "milliseconds after an instance's last heartbeat that its claims are taken over");
        long period = settings.positiveNumber("sync.heartbeat-period-ms", "milliseconds between an instance's heartbeats");
        if (period * 2 > timeout) {
            throw settings.invalid("sync.heartbeat-period-ms", "must be at most half of sync.instance-timeout-ms ("
                    + timeout + "), so a healthy instance never looks dead, but is " + period);
        }
        return period;
    }
}
