package org.apitmoodle.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.model.Model;
import org.apitmoodle.Settings;
import org.apitmoodle.sync.Operation;
import org.apitmoodle.sync.SyncPause;
import org.apitmoodle.sync.RemovalGuard;

/**
 * Registers what operators look at: the health checks (/observe/health), the integration's metrics
 * (/observe/metrics), the per-batch log lines, the dry run, and the log format.
 */
public class OperationsConfiguration implements CamelConfiguration {

    /** The name camel-micrometer-prometheus looks up, so our meters are on the registry it serves. */
    static final String METRICS_REGISTRY = "metricsRegistry";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        LogFormat.apply(settings.operations().logFormat());

        Registry registry = context.getRegistry();
        MeterRegistry meters = registry.lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(METRICS_REGISTRY, meters);
        }

        SyncStatistics statistics = new SyncStatistics();
        MoodleSiteCheck siteCheck = new MoodleSiteCheck();
        OperationsMetrics metrics = new OperationsMetrics(meters, statistics, Clock.systemUTC());
        boolean dryRun = settings.sync().dryRun();
        int sampleSize = settings.sync().dryRunSampleSize();
        long warnAt = settings.operations().deadLetterWarningThreshold();

        // The pool is made by SyncConfiguration: asked for at the first write or read.
        SyncHistory history = new SyncHistory(() -> registry.lookupByNameAndType("accessplanitDb", DataSource.class),
                Clock.systemUTC());
        SyncOutcomes outcomes = new SyncOutcomes(meters, history);
        MoodleCalls moodleCalls = new MoodleCalls();
        Progress progress = new Progress(statistics, outcomes::finished, System::currentTimeMillis);
        String pollRoutePrefix = settings.operations().pollRoutePrefix();

        registry.bind("syncStatistics", statistics);
        registry.bind("moodleSiteCheck", siteCheck);
        registry.bind("syncOutcomes", outcomes);
        registry.bind("progress", progress);
        registry.bind("dryRun", new DryRun(dryRun, sampleSize));
        RemovalGuard removalGuard = new RemovalGuard(settings.changes().maxRemovalsPerPoll());
        registry.bind("removalGuard", removalGuard);
        registry.bind("syncHistory", history);
        registry.bind("statusPage", new StatusPage(
                new StatusPage.Sources(statistics, outcomes, metrics, moodleCalls, progress,
                        () -> registry.lookupByNameAndType("syncPause", SyncPause.class), removalGuard, siteCheck,
                        history::hours, scheduledJobs(settings, metrics, statistics, siteCheck, pollRoutePrefix)),
                new StatusPage.Options(settings.grades().enabled(), dryRun,
                        settings.operations().statusPageRefreshSeconds(), pollRoutePrefix),
                Clock.systemUTC(), ZoneId.systemDefault()));
        context.getManagementStrategy().addEventNotifier(new OperationsEvents(metrics, moodleCalls, pollRoutePrefix));
        // /observe/info without the OS user and the working directory.
        context.addStartupListener(new ObserveInfo());

        // The operators' HTTP routes exist only while their server is on: a route switched off would still be
        // reported UP by Camel's route health check.
        if (!settings.operators().httpEnabled()) {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            model.setRouteFilter(route -> route.getInput() == null
                    || !route.getInput().getEndpointUri().startsWith("platform-http:"));
        }

        HealthCheck[] checks = {
            new HealthChecks.Database(statistics),
            new HealthChecks.Moodle(siteCheck),
            new HealthChecks.Sync(dryRun),
            new HealthChecks.DeadLetterQueue(statistics, warnAt),
            new HealthChecks.RemovalGuardCheck(removalGuard),
        };
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        for (HealthCheck check : checks) {
            // Bound beans are picked up when the health registry starts; registered too in case it already has.
            registry.bind("health-check-" + check.getId(), check);
            if (health != null) {
                health.register(check);
            }
        }
    }

    /** The scheduled routes the status page lists with their next run. */
    private static ScheduledJobs scheduledJobs(Settings settings, OperationsMetrics metrics, SyncStatistics statistics,
            MoodleSiteCheck siteCheck, String pollRoutePrefix) {
        ScheduledJobs jobs = new ScheduledJobs();
        if (settings.grades().enabled()) {
            String route = pollRoutePrefix + Operation.GRADES.key();
            // Quartz reads a cron in the JVM's default zone unless the route names one.
            jobs.cron("Grade poll", route, settings.grades().cron(), ZoneId.systemDefault(), () -> metrics.lastPoll(route));
        }
        jobs.every("Sync polls (each operation)", "sync-polls", Duration.ofMillis(settings.sync().pollPeriodMs()),
                () -> Operation.keys().stream().filter(key -> !key.equals(Operation.GRADES.key()))
                        .map(key -> metrics.lastPoll(pollRoutePrefix + key)).filter(java.util.Objects::nonNull)
                        .max(Instant::compareTo).orElse(null));
        jobs.every("Moodle check", "check-moodle", Duration.ofMillis(settings.operations().moodleCheckPeriodMs()),
                () -> siteCheck.last().checkedAt());
        jobs.every("Counts for this page, health and metrics", "refresh-sync-statistics",
                Duration.ofMillis(settings.operations().refreshPeriodMs()), () -> statistics.database().checkedAt());
        return jobs;
    }
}
