package org.apitmoodle.drift;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apitmoodle.SettingsReader;
import org.quartz.CronExpression;

/**
 * drift.*: the reconcile of what changed in Moodle behind the integration's back (org.apitmoodle.drift): when it
 * runs, what each kind of finding gets (report or repair), the mass-repair guard and how much it reads per call.
 * Checked at start-up with every other setting.
 */
public record DriftSettings(boolean enabled, String cron, Map<DriftKind, Boolean> repair,
        int maxRepairsPerReconcile, int pageSize, int usersPerCall, String lease, int listLimit,
        long yieldMaxMs) {

    public DriftSettings {
        repair = Map.copyOf(repair);
    }

    /** Whether findings of this kind are repaired (drift.<kind> = repair). */
    public boolean repairs(DriftKind kind) {
        return repair.getOrDefault(kind, false);
    }

    public static DriftSettings read(Function<String, String> property) {
        return read(new SettingsReader(property));
    }

    public static DriftSettings read(SettingsReader settings) {
        boolean enabled = settings.bool("drift.enabled");
        String cron = settings.required("drift.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw settings.invalid("drift.cron", "must be a Quartz cron expression (seconds minutes hours"
                    + " day-of-month month day-of-week, like 0 30 2 * * ? for every night at 02:30), but is '"
                    + cron + "'");
        }
        Map<DriftKind, Boolean> repair =
                new EnumMap<>(DriftKind.class);
        for (DriftKind kind : DriftKind.values()) {
            String value = settings.optional(kind.setting()).toLowerCase(Locale.ROOT);
            value = value.isEmpty() ? (kind.repairedByDefault() ? "repair" : "report") : value;
            if (!value.equals("report") && !value.equals("repair")) {
                throw settings.invalid(kind.setting(), "must be report or repair (what the reconcile does about"
                        + " a finding of this kind), but is '" + value + "'");
            }
            if (value.equals("repair") && !kind.repairable()) {
                throw settings.invalid(kind.setting(), "can only be report: a suspended account is an"
                        + " administrator's decision in Moodle, which the integration does not undo, but is 'repair'");
            }
            repair.put(kind, value.equals("repair"));
        }
        int maxRepairs = settings.wholeNumber("drift.max-repairs-per-reconcile",
                "the most findings one reconcile repairs before an operator confirms them");
        int pageSize = settings.positiveInt("drift.page-size", "the accounts or courses asked of Moodle per call");
        int usersPerCall = settings.positiveInt("drift.users-per-call",
                "the enrolled users read from Moodle per call");
        settings.interval("drift.lease");
        int listLimit = settings.positiveInt("drift.list-limit", "the open findings listed at most");
        long yieldMaxMs = settings.wholeNumber("drift.yield-max-ms",
                "the longest a reconcile call waits for the sync's calls in flight, in milliseconds");
        return new DriftSettings(enabled, cron, repair, maxRepairs, pageSize, usersPerCall, settings.required("drift.lease"),
                listLimit, yieldMaxMs);
    }
}
