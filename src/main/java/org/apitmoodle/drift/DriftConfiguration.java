package org.apitmoodle.drift;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apitmoodle.Settings;
import org.apitmoodle.ops.StatusPage;
import org.apitmoodle.sync.MoodleCallShares;

/**
 * Start-up of the reconcile (routes/drift.camel.yaml): its beans, the metric of open findings per kind, and the
 * findings on the status page. Its settings were checked with the others ({@link DriftSettings}).
 */
public class DriftConfiguration implements CamelConfiguration {

    /** The registry camel-micrometer-prometheus serves at /observe/metrics (OperationsConfiguration's). */
    private static final String METRICS_REGISTRY = "metricsRegistry";
    /** Open findings per kind (tag kind): apit_drift_findings_open. */
    public static final String FINDINGS_OPEN = "apit.drift.findings.open";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        Registry registry = context.getRegistry();
        DriftSettings drift = settings.drift();
        // The sync's calls, which the reconcile gives way to (its share is made by SyncConfiguration): busy while one
        // is in flight or came back within two poll periods, so the gaps between a first sync's polls count too.
        long quietMs = 2 * settings.sync().pollPeriodMs();
        registry.bind("driftReconcile", new DriftReconcile(drift, settings.usernamePrefix(),
                settings.moodle().usernameFrom(), settings.idnumberPrefix(), () -> {
                    MoodleCallShares shares = context.getRegistry().lookupByNameAndType("moodleCallShares",
                            MoodleCallShares.class);
                    return shares != null && shares.sync().busyWithin(quietMs) ? 1 : 0;
                }, System::currentTimeMillis));
        DriftFindings findings = new DriftFindings();
        registry.bind("driftFindings", findings);

        MeterRegistry meters = registry.lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(METRICS_REGISTRY, meters);
        }
        for (DriftKind kind : DriftKind.values()) {
            Gauge.builder(FINDINGS_OPEN, findings, f -> f.open(kind)).tag("kind", kind.key())
                    .description("Open drift findings: what changed in Moodle behind the integration's back")
                    .register(meters);
        }
        // The status page lists them once it is made (OperationsConfiguration may run before or after this).
        context.addStartupListener((camel, alreadyStarted) -> {
            StatusPage page = camel.getRegistry().lookupByNameAndType("statusPage", StatusPage.class);
            if (page != null) {
                page.showDrift(() -> findings);
            }
        });
    }
}
