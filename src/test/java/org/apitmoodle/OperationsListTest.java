package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.deadletter.DeadLetterQueue;
import org.apitmoodle.ops.OperationsMetrics;
import org.apitmoodle.ops.SyncOutcomes;
import org.apitmoodle.ops.SyncStatistics;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the one list (Operation) is known to each part that names operations: its poll route, its
 * claims (sync_state accepts it), its waiting view and the backlog, the dead-letter queue's filters and replay,
 * the log line and the metrics. An operation added to the list but forgotten anywhere fails here.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=60000", "grades.enabled=true"})
class OperationsListTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void everyOperationHasItsPollRouteClaimsAndWaitingView() {
        for (Operation operation : Operation.values()) {
            assertThat(context.getRoute("poll-" + operation.key())).as("poll route of " + operation).isNotNull();
            db.update("INSERT INTO sync_state (entity_type, entity_id, state) VALUES (?, 1, 'DONE')", operation.key());
            assertThat(db.count("SELECT count(*) FROM " + operation.waitingView())).as("view of " + operation).isZero();
        }
        assertThat(db.rows("SELECT DISTINCT entity_type FROM sync_state").stream().map(row -> row.get("entity_type")))
                .containsExactlyInAnyOrderElementsOf(Operation.keys());
        // Every claim SQL reads the one rule of which claims hold.
        for (Operation operation : Operation.values()) {
            db.update("UPDATE sync_state SET state = 'IN_PROGRESS', lease_until = now() + interval '1 hour'"
                    + " WHERE entity_type = ?", operation.key());
        }
        assertThat(db.count("SELECT count(*) FROM live_claim")).as("claims of no heartbeat, lease running")
                .isEqualTo(Operation.values().length);
        // The backlog's union names every operation's view (its rows carry the key).
        String union = (String) db.value("SELECT pg_get_viewdef('waiting'::regclass)");
        for (Operation operation : Operation.values()) {
            assertThat(union).contains("'" + operation.key() + "'").contains(operation.waitingView());
        }
    }

    @Test
    void everyOperationIsInTheDeadLetterQueueTheLogsAndTheMetrics() {
        DeadLetterQueue queue = new DeadLetterQueue();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new OperationsMetrics(meters, new SyncStatistics(), Clock.systemUTC());
        SyncOutcomes outcomes = new SyncOutcomes(meters);
        for (Operation operation : Operation.values()) {
            assertThatCode(() -> queue.filter(operation.key(), null, null)).as("filter " + operation).doesNotThrowAnyException();
            assertThatCode(() -> queue.openFilter(operation.key(), null)).as("replay " + operation).doesNotThrowAnyException();
            assertThat(SyncStatistics.ENTITY_TYPES).contains(operation.key());
            assertThat(meters.find(OperationsMetrics.BACKLOG).tag("entity", operation.key()).gauge()).isNotNull();
            assertThat(meters.find(OperationsMetrics.DEAD_LETTER_OPEN).tag("entity", operation.key()).gauge()).isNotNull();

            Batch batch = Batch.of(operation, List.of(Map.of(operation.idColumn(), 7L)));
            assertThat(batch.getIds()).as("ids in the log line of " + operation).containsExactly(7L);
            outcomes.synced(batch, List.of());
            assertThat(meters.find(SyncOutcomes.SYNCED).tag("entity", operation.key()).counter().count()).isEqualTo(1.0);
        }
    }
}
