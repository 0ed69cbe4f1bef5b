package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.ops.SyncOutcomes;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.CapturedLog;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.junit.jupiter.api.Test;

/**
 * One account of each failure (issue 10): the log line, the metric and the dead-letter row of a failure say the same
 * class and code, and the row counts every attempt; and a record Moodle already holds (DONE) is never dead-lettered,
 * counted or logged as such, whatever a late failure of another call says.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.user-batch-size=10",
        "retry.maximum-redeliveries=2",
        "retry.initial-delay-ms=20",
        "retry.maximum-delay-ms=50",
        "retry.database-error-redeliveries=2"})
class OneAccountOfEachFailureTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    private double failedMetric(String entity, String errorClass) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        Counter counter = meters.find(SyncOutcomes.FAILED).tag("entity", entity).tag("error_class", errorClass)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theLogLineTheMetricAndTheRowSayTheSame() {
        Accessplanit accessplanit = new Accessplanit(db);
        double before = failedMetric("user", "bad-data");
        try (CapturedLog log = CapturedLog.capture()) {
            // Moodle's refusals first: a poll may take the users as soon as they are there.
            moodle.refuseCalls("core_user_create_users", "REFUSEDBYDB", "dml_write_exception", "dmlwriteexception",
                    "Error writing to database");
            moodle.refuseCalls("core_user_create_users", "REFUSEDPARAM", "invalid_parameter_exception",
                    "invalidparameter", "Invalid parameter value detected");
            accessplanit.classroomCourse(10, "Fire Safety");
            // Refused here, before any call: an address Moodle's validate_email refuses.
            accessplanit.user(11, "Judy", "Jones", "judy@example");
            // Refused by Moodle itself when sent, alone too: a database error Moodle's database keeps answering.
            accessplanit.user(12, "Dora", "REFUSEDBYDB", "dora@example.com");
            // Refused by Moodle for its data: split, then dead-lettered alone.
            accessplanit.user(13, "Pat", "REFUSEDPARAM", "pat@example.com");
            accessplanit.user(14, "Good", "One", "good.one@example.com");
            for (long user = 11; user <= 14; user++) {
                accessplanit.delegate(user, user, 10, "BOOKED");
            }

            eventually().until(() -> db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'user'"
                    + " AND entity_id BETWEEN 11 AND 13") == 3 && "DONE".equals(accessplanit.syncState("enrolment", 14)));

            List<Map<String, Object>> rows = db.rows("SELECT entity_id, error_class, error_code, attempts"
                    + " FROM dead_letter WHERE entity_type = 'user' AND entity_id BETWEEN 11 AND 13 ORDER BY entity_id");
            assertThat(rows).extracting(row -> row.get("error_code"))
                    .containsExactly("invalidemail", "dmlwriteexception", "invalidparameter");
            for (Map<String, Object> row : rows) {
                long id = ((Number) row.get("entity_id")).longValue();
                List<CapturedLog.Line> lines = log.lines().stream()
                        .filter(line -> line.message().startsWith("Dead-lettered")
                                && "user".equals(line.context().get("entityType"))
                                && line.context().getOrDefault("ids", "").matches(".*\\b" + id + "\\b.*"))
                        .toList();
                assertThat(lines).as("the log lines of user %d", id).hasSize(1);
                CapturedLog.Line line = lines.get(0);
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.context()).containsEntry("errorClass", (String) row.get("error_class"))
                        .containsEntry("errorCode", (String) row.get("error_code"));
                assertThat(line.message()).contains("errorcode " + row.get("error_code"))
                        .contains("(" + row.get("error_class") + ")");
            }
            // Found before sending: one attempt. Refused by Moodle's database: the first attempt and each of the
            // database-error redeliveries of its last (lone) call.
            assertThat(rows.get(0)).containsEntry("attempts", 1);
            assertThat(rows.get(1)).containsEntry("attempts", 3);
            // The metric counts the same records under the same class.
            assertThat(rows).allSatisfy(row -> assertThat(row.get("error_class")).isEqualTo("bad-data"));
            assertThat(failedMetric("user", "bad-data") - before).isEqualTo(3.0);
        }
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aRecordAlreadySyncedIsNotDeadLetteredCountedOrLoggedAsSuch() {
        // User 21 was synced (through another instance's call, say); user 22's claim is still this instance's. A late
        // failure of a call that held both reaches the dead-letter channel.
        db.update("INSERT INTO sync_state (entity_type, entity_id, state, attempts) VALUES ('user', 21, 'DONE', 1),"
                + " ('user', 22, 'IN_PROGRESS', 1)");
        double before = failedMetric("user", "bad-data");
        Exchange failure = new DefaultExchange(context);
        failure.setProperty("batch", Batch.of(Operation.USER, List.of(Map.of("user_id", 21L), Map.of("user_id", 22L))));
        failure.setProperty(Exchange.EXCEPTION_CAUGHT,
                new BadRecordException("invalidparameter", "Invalid parameter value detected"));

        try (CapturedLog log = CapturedLog.capture()) {
            context.createProducerTemplate().send("direct:dead-letter", failure);

            assertThat(failure.getException()).isNull();
            assertThat(db.value("SELECT state FROM sync_state WHERE entity_type = 'user' AND entity_id = 21"))
                    .isEqualTo("DONE");
            assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'user' AND entity_id = 21"))
                    .isZero();
            assertThat(db.value("SELECT state FROM sync_state WHERE entity_type = 'user' AND entity_id = 22"))
                    .isEqualTo("FAILED");
            assertThat(db.rows("SELECT error_code FROM dead_letter WHERE entity_type = 'user' AND entity_id = 22"))
                    .containsExactly(Map.of("error_code", "invalidparameter"));
            assertThat(failedMetric("user", "bad-data") - before).isEqualTo(1.0);
            assertThat(log.lines()).as("%s", log.lines()).filteredOn(line -> line.message().startsWith("Dead-lettered"))
                    .singleElement().satisfies(line -> assertThat(line.context()).containsEntry("ids", "[22]"));
            assertThat(log.lines()).filteredOn(line -> line.message().startsWith("Not dead-lettered"))
                    .singleElement().satisfies(line -> assertThat(line.message()).contains("ids [21]"));
        }
    }
}
