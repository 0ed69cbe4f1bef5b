package org.apitmoodle;

import org.apache.camel.builder.RouteBuilder;
import org.apitmoodle.sync.MoodleCallShares;
import org.apitmoodle.sync.Operation;

/**
 * One route per sync operation, made from the route template sync-operation (routes/sync-pipeline.camel.yaml) and
 * the operation's descriptor ({@link Operation.Sync}): its claim SQL, its batch size, the page it claims, whether
 * it runs, and the threads its batches go on (its share of calls in flight). The route of operation {@code user} is
 * {@code poll-user}.
 */
public final class SyncOperationRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Settings settings = Settings.of(getCamelContext());
        for (Operation operation : Operation.values()) {
            Operation.Sync sync = operation.sync();
            if (sync != null) {
                templatedRoute("sync-operation").routeId("poll-" + operation.key())
                        .parameter("operation", operation.key())
                        .parameter("claimSql", sync.claimSql())
                        .parameter("batchSize", Integer.toString(sync.batchSize().applyAsInt(settings)))
                        .parameter("pageSize", Integer.toString(sync.pageSize().applyAsInt(settings)))
                        .parameter("enabled", Boolean.toString(sync.enabled().test(settings)))
                        .parameter("threads", MoodleCallShares.threadsOf(operation));
            }
        }
    }
}
