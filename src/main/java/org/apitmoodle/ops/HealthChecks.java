package org.apitmoodle.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apitmoodle.sync.RemovalGuard;
import org.apitmoodle.sync.SyncPause;

/**
 * The integration's health checks, served by Camel at /observe/health. Each reads state that a scheduled route
 * keeps current, so a probe is instant and never waits for the database or Moodle.
 *
 * <p>All are readiness checks only: a restart fixes none of these states, so liveness stays UP.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    private abstract static class ReadinessCheck extends AbstractHealthCheck {

        ReadinessCheck(String id) {
            super("apit", id);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }
    }

    /** DOWN when the last scheduled refresh could not query the accessplanit database. */
    public static final class Database extends ReadinessCheck {

        private final SyncStatistics statistics;

        public Database(SyncStatistics statistics) {
            super("database");
            this.statistics = statistics;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            SyncStatistics.DatabaseCheck check = statistics.database();
            builder.detail("checked_at", String.valueOf(check.checkedAt()));
            if (check.reachable()) {
                builder.up();
            } else {
                builder.detail("error", check.error()).message("The accessplanit database cannot be queried: " + check.error());
                builder.down();
            }
        }
    }

    /** DOWN when Moodle was unreachable or refused the token at the last scheduled core_webservice_get_site_info. */
    public static final class Moodle extends ReadinessCheck {

        private final MoodleSiteCheck siteCheck;

        public Moodle(MoodleSiteCheck siteCheck) {
            super("moodle");
            this.siteCheck = siteCheck;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            MoodleSiteCheck.Result last = siteCheck.last();
            builder.detail("state", last.state().name().toLowerCase(java.util.Locale.ROOT));
            builder.detail("checked_at", String.valueOf(last.checkedAt()));
            switch (last.state()) {
                case REACHABLE -> {
                    if (last.siteName() != null) {
                        builder.detail("site", last.siteName());
                    }
                    builder.up();
                }
                case NOT_CHECKED -> builder.message("Moodle has not been checked yet").unknown();
                default -> {
                    builder.detail("errorcode", last.errorCode()).detail("error", String.valueOf(last.message()));
                    builder.message(last.state() == MoodleSiteCheck.State.REFUSED
                            ? "Moodle refuses the integration (" + last.errorCode() + "): check moodle.token and the web service"
                            : "Moodle cannot be reached (" + last.errorCode() + ")");
                    builder.down();
                }
            }
        }
    }

    /** DOWN while the sync is paused (bean syncPause), with the reason; says when it runs as a dry run. */
    public static final class Sync extends ReadinessCheck {

        private final boolean dryRun;

        public Sync(boolean dryRun) {
            super("sync");
            this.dryRun = dryRun;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            SyncPause pause = getCamelContext().getRegistry().lookupByNameAndType("syncPause", SyncPause.class);
            builder.detail("dry_run", dryRun);
            if (pause != null && pause.isPaused()) {
                builder.detail("state", "paused").detail("reason", pause.reason())
                        .detail("since", String.valueOf(pause.since()));
                builder.message("The sync is paused: " + pause.reason()).down();
            } else {
                if (dryRun) {
                    builder.message("Dry run (sync.dry-run): nothing is written to Moodle");
                }
                builder.detail("state", "running").up();
            }
        }
    }

    /**
     * Open dead-letter entries over the threshold. Camel's health has no "warning" state and a full queue is no
     * reason to take the integration out of service, so the check stays UP and says so in its message and its
     * warning detail (shown with exposure level full).
     */
    public static final class DeadLetterQueue extends ReadinessCheck {

        private final SyncStatistics statistics;
        private final long threshold;

        public DeadLetterQueue(SyncStatistics statistics, long threshold) {
            super("dead-letter-queue");
            this.statistics = statistics;
            this.threshold = threshold;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            long open = statistics.openDeadLetters();
            builder.detail("open", open).detail("threshold", threshold);
            statistics.openDeadLettersByType().forEach((type, count) -> builder.detail("open_" + type, count));
            if (open > threshold) {
                String warning = open + " open dead-letter entries, over the threshold of " + threshold
                        + ": fix the records and replay them, or discard them";
                builder.detail("warning", warning).message("WARNING: " + warning);
            }
            builder.up();
        }
    }

    /**
     * DOWN while the removal guard holds the cancellations back (more wait than changes.max-removals-per-poll),
     * with why and how to confirm them. The other operations go on.
     */
    public static final class RemovalGuardCheck extends ReadinessCheck {

        private final RemovalGuard guard;

        public RemovalGuardCheck(RemovalGuard guard) {
            super("removal-guard");
            this.guard = guard;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("held", guard.held()).detail("max_removals_per_poll", guard.maxRemovalsPerPoll())
                    .detail("checked_at", String.valueOf(guard.checkedAt()));
            if (guard.isHolding()) {
                builder.message(guard.reason()).down();
            } else {
                builder.up();
            }
        }
    }
}
