package org.apitmoodle.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.model.Model;
import org.apitmoodle.Settings;
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

        SyncOutcomes outcomes = new SyncOutcomes(meters);
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
        registry.bind("statusPage", new StatusPage(statistics, outcomes, metrics, moodleCalls, progress,
                () -> registry.lookupByNameAndType("syncPause", SyncPause.class), settings.grades().enabled(), dryRun,
                settings.operations().statusPageRefreshSeconds(), pollRoutePrefix, Clock.systemUTC()));
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
}
