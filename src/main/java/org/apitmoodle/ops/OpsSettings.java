package org.apitmoodle.ops;

import java.util.Locale;
import org.apitmoodle.SettingsReader;

/** management.port and .host, ops.* and log.format: what operators look at. */
public record OpsSettings(int managementPort, String managementHost, long moodleCheckPeriodMs, long refreshPeriodMs,
        long deadLetterWarningThreshold, String pollRoutePrefix, String logFormat, long progressPeriodMs,
        int statusPageRefreshSeconds) {

    public static OpsSettings read(SettingsReader settings) {
        int port = settings.port("management.port");
        String host = settings.address("management.host");
        long check = settings.positiveNumber("ops.moodle-check-period-ms", "milliseconds between asking Moodle");
        long refresh = settings.positiveNumber("ops.refresh-period-ms", "milliseconds between reading the counts");
        long threshold = settings.wholeNumber("ops.dead-letter-warning-threshold", "open entries before a warning");
        String prefix = settings.required("ops.poll-route-prefix");
        String format = settings.required("log.format").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw settings.invalid("log.format", "must be text or json, but is '" + format + "'");
        }
        long progress = settings.positiveNumber("ops.progress-period-ms",
                "milliseconds between progress lines while records wait");
        int pageRefresh = settings.positiveInt("ops.status-page-refresh-seconds", "seconds between reloads of the status page");
        return new OpsSettings(port, host, check, refresh, threshold, prefix, format, progress, pageRefresh);
    }
}
