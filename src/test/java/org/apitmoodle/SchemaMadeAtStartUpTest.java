package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.CustomerDatabase;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's other way to set up the database user: instead of a schema made for it, it may create schemas in the
 * database (GRANT CREATE ON DATABASE), and Flyway makes the integration's schema at the first start-up, here under a
 * name of the operator's choosing (db.schema). The database is a customer's: public holds the accessplanit tables
 * and another application's, and no Flyway history exists.
 */
class SchemaMadeAtStartUpTest extends SyncTestSupport {

    private static final String ROLE = TestDatabase.PREFIX + "customer_creates";
    private static final String SCHEMA = TestDatabase.PREFIX + "moodle_sync";

    private static CustomerDatabase.Snapshot before;

    @BeforeAll
    static void aCustomersDatabase() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(10, "Fire Safety - Leeds");
        accessplanit.user(1, "Alice", "Anderson", "alice@example.com");
        accessplanit.delegate(1, 1, 10, "BOOKED");
        CustomerDatabase.addUnrelatedApplication(db);
        CustomerDatabase.createIntegrationRole(db, ROLE, null);

        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo(6);
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = 'flyway_schema_history'")).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_namespace WHERE nspname = ?", SCHEMA)).isZero();
        before = CustomerDatabase.snapshot(db, SCHEMA);
    }

    @Test
    void flywayMakesTheNamedSchemaAndTheIntegrationSyncsFromIt() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        try (Instance instance = Instance.start("customer", Map.of("db.user", ROLE, "db.schema", SCHEMA,
                "sync.poll-period-ms", "200"))) {
            eventually().until(() -> "DONE".equals(db.value("SELECT state FROM " + SCHEMA + ".sync_state"
                    + " WHERE entity_type = 'enrolment' AND entity_id = 1")));
            // Quartz's clustered job store checks in, in the same schema.
            assertThat(db.count("SELECT count(*) FROM " + SCHEMA + ".qrtz_scheduler_state")).isEqualTo(1);
        }

        long course = accessplanit.courseMoodleId(10);
        long user = accessplanit.userMoodleId(1);
        assertThat(moodle.site().courseByIdnumber("APIT-C-10").orElseThrow().id()).isEqualTo(course);
        assertThat(moodle.site().userByUsername("apit.1").orElseThrow().id()).isEqualTo(user);
        assertThat(moodle.site().isEnrolled(user, course)).isTrue();

        // The schema is Flyway's making, owned by the integration's user, and holds its history and tables.
        assertThat(db.value("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?", SCHEMA))
                .isEqualTo(ROLE);
        assertThat(db.rows("SELECT type, version FROM " + SCHEMA + ".flyway_schema_history WHERE success"
                + " ORDER BY installed_rank")).extracting(row -> row.get("type") + " " + row.get("version"))
                .containsExactly("SCHEMA null", "SQL 2", "SQL 3", "SQL 4", "SQL 5", "SQL 6", "SQL 7", "SQL 8", "SQL 9", "SQL 10", "SQL 11", "SQL 12", "SQL 13", "SQL 14");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = ?", SCHEMA)).isEqualTo(26);
        assertThat(db.value("SELECT to_regnamespace(?)", TestDatabase.INTEGRATION_SCHEMA))
                .as("the default schema, not asked for").isNull();

        // Nothing else changed: one schema more, and outside it the same tables, columns and rows (but the columns
        // the integration writes).
        CustomerDatabase.Snapshot after = CustomerDatabase.snapshot(db, SCHEMA);
        assertThat(before.schemas()).containsExactly("public");
        assertThat(after.schemas()).containsExactly(SCHEMA, "public");
        assertThat(after.relations()).isEqualTo(before.relations());
        assertThat(after.columns()).isEqualTo(before.columns());
        assertThat(after.constraints()).isEqualTo(before.constraints());
        assertThat(after.rows()).isEqualTo(before.rows());
    }
}
