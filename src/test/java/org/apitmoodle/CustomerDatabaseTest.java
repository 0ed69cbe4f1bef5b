package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.CustomerDatabase;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Start-up on a customer's database, as the README's database user: public already holds the accessplanit tables
 * with their rows and another application's tables (one named dead_letter, like ours), no Flyway history exists
 * anywhere (the start-up Flyway used to refuse: "Found non-empty schema(s) "public" but no schema history table"),
 * and the user has only the README's grants and the schema the DBA made for it. The integration syncs, and
 * changes nothing outside its own schema but the columns it writes.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.cron=0/1 * * * * ?"})
class CustomerDatabaseTest extends SyncTestSupport {

    /** Roles belong to the whole server: named with the prefix, so concurrent checkouts do not share one. */
    private static final String ROLE = TestDatabase.PREFIX + "customer_sync";
    private static final String SCHEMA = TestDatabase.INTEGRATION_SCHEMA;

    private static long elearningCourse;
    private static CustomerDatabase.Snapshot before;

    @BeanInject
    CamelContext context;

    /** Runs after SyncTestSupport made the database with the accessplanit tables, before the application starts. */
    @BeforeAll
    static void aCustomersDatabase() {
        elearningCourse = moodle.site().addCourse("ELEARN-GDPR", "GDPR e-learning", "ELEARN-GDPR", CATEGORY).id();
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(10, "Fire Safety - Leeds");
        accessplanit.template(11, "<p>First aid.</p>", null);
        accessplanit.course(11, 11, "First Aid - online", "WEBINAR", OffsetDateTime.parse("2027-03-08T10:00:00Z"),
                null, true, null);
        accessplanit.template(12, "<p>Lift safely.</p>", null);
        accessplanit.course(12, 12, "Manual Handling - not ticked", "CLASSROOM",
                OffsetDateTime.parse("2027-04-02T09:30:00Z"), null, false, null);
        accessplanit.template(13, "<p>Personal data.</p>", elearningCourse);
        accessplanit.course(13, 13, "GDPR (e-learning)", "ELEARNING", null, null, false, null);
        accessplanit.user(1, "Alice", "Anderson", "alice@example.com");
        accessplanit.user(2, "Bob", "Brown", "bob@example.com");
        accessplanit.user(3, "Carol", "Clark", "carol@example.com");   // booked only on a course not ticked
        accessplanit.user(4, "Erin", "Evans", "erin.evans@example");   // a malformed email: dead-lettered
        accessplanit.user(5, "Dan", "Dale", "dan@example.com");        // his only booking is cancelled
        accessplanit.delegate(1, 1, 10, "BOOKED");
        accessplanit.delegate(2, 2, 11, "BOOKED");
        accessplanit.delegate(3, 2, 13, "BOOKED");
        accessplanit.delegate(4, 3, 12, "BOOKED");
        accessplanit.delegate(5, 4, 10, "BOOKED");
        accessplanit.delegate(6, 5, 10, "CANCELLED");
        CustomerDatabase.addUnrelatedApplication(db);
        CustomerDatabase.createIntegrationRole(db, ROLE, SCHEMA);

        // The situation of the original bug: public is not empty, and there is no Flyway history anywhere.
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo(6);
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = 'flyway_schema_history'")).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ?", SCHEMA)).as("the integration's schema, as the DBA made it").isZero();
        before = CustomerDatabase.snapshot(db, SCHEMA);
        assertThat(before.relations()).anyMatch(relation -> relation.startsWith("public.dead_letter r "));
        assertThat(before.columns()).anyMatch(column -> column.startsWith("public.delegates.score numeric(10,2) "));
        assertThat(before.rows().get("public.delegates")).hasSize(6);
        System.setProperty("db.user", ROLE);
    }

    @AfterAll
    static void defaultUser() {
        System.clearProperty("db.user");
    }

    @Test
    void syncsAsTheNarrowUserAndChangesNothingOutsideItsSchemaButTheColumnsItWrites() {
        Accessplanit accessplanit = new Accessplanit(db);
        MoodleSite site = moodle.site();
        assertThat(context.getStatus().isStarted()).isTrue();

        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE'") == 3 && db.count("SELECT count(*) FROM dead_letter") == 1);
        // The grade poll (Quartz, its tables in the integration's schema) writes a score and the completion back.
        long fireSafety = accessplanit.courseMoodleId(10);
        long alice = accessplanit.userMoodleId(1);
        long completedAt = Instant.parse("2027-03-01T16:30:00Z").getEpochSecond();
        site.setGrade(fireSafety, alice, 85.0);
        site.setCompletion(fireSafety, alice, true, completedAt);
        eventually().until(() -> "COMPLETED".equals(db.value("SELECT status FROM delegates WHERE id = 1")));

        // accessplanit's side: the Moodle ids written back, the grade and completion too, and nothing else.
        Course classroom = site.courseByIdnumber("APIT-C-10").orElseThrow();
        Course webinar = site.courseByIdnumber("APIT-C-11").orElseThrow();
        assertThat(db.rows("SELECT id, moodle_id FROM courses ORDER BY id")).extracting(row -> row.get("moodle_id"))
                .containsExactly(classroom.id(), webinar.id(), null, null);
        User aliceInMoodle = site.userByUsername("apit.1").orElseThrow();
        User bobInMoodle = site.userByUsername("apit.2").orElseThrow();
        assertThat(db.rows("SELECT id, moodle_id FROM users ORDER BY id")).extracting(row -> row.get("moodle_id"))
                .containsExactly(aliceInMoodle.id(), bobInMoodle.id(), null, null, null);
        var graded = db.rows("SELECT score, completion_status, completed_at, status FROM delegates WHERE id = 1").get(0);
        assertThat(graded).containsEntry("score", new BigDecimal("85.00")).containsEntry("completion_status", "COMPLETE");
        assertThat(((Timestamp) graded.get("completed_at")).toInstant().getEpochSecond()).isEqualTo(completedAt);
        assertThat(db.value("SELECT error_code FROM " + SCHEMA + ".dead_letter WHERE entity_type = 'user'"
                + " AND entity_id = 4")).isEqualTo("invalidemail");

        // Moodle's side: the two ticked courses, the two users booked onto Moodle courses, their three enrolments.
        assertThat(site.courses()).extracting(Course::idnumber).contains("APIT-C-10", "APIT-C-11")
                .doesNotContain("APIT-C-12", "APIT-C-13");
        assertThat(aliceInMoodle.email()).isEqualTo("alice@example.com");
        assertThat(site.users()).extracting(User::username).filteredOn(name -> name.startsWith("apit."))
                .containsExactlyInAnyOrder("apit.1", "apit.2");
        assertThat(site.enrolments()).extracting(Enrolment::userId, Enrolment::courseId).containsExactlyInAnyOrder(
                tuple(aliceInMoodle.id(), classroom.id()),
                tuple(bobInMoodle.id(), webinar.id()),
                tuple(bobInMoodle.id(), elearningCourse));
        assertNothingLostAndNothingTwice();

        // Outside the integration's schema: the same schemas, tables, columns, constraints, grants and rows (the
        // columns the integration writes left out), the other application's dead_letter and contacts included.
        CustomerDatabase.Snapshot after = CustomerDatabase.snapshot(db, SCHEMA);
        assertThat(after.schemas()).isEqualTo(before.schemas()).containsExactly(SCHEMA, "public");
        assertThat(after.relations()).isEqualTo(before.relations());
        assertThat(after.columns()).isEqualTo(before.columns());
        assertThat(after.constraints()).isEqualTo(before.constraints());
        assertThat(after.rows().keySet()).containsExactly("public.course_templates", "public.courses",
                "public.crm_contacts", "public.dead_letter", "public.delegates", "public.users");
        after.rows().forEach((table, rows) -> assertThat(rows).as(table).isEqualTo(before.rows().get(table)));
        assertThat(after.rows().get("public.crm_contacts")).hasSize(3);
        assertThat(after.rows().get("public.dead_letter")).hasSize(2);

        // Flyway's history is in the integration's schema, with the integration's tables, all owned by its user.
        assertThat(db.value("SELECT to_regclass('public.flyway_schema_history')")).isNull();
        assertThat(db.rows("SELECT version FROM " + SCHEMA + ".flyway_schema_history WHERE success ORDER BY installed_rank"))
                .extracting(row -> row.get("version")).containsExactly("2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14");
        List<String> ours = db.rows("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = ? ORDER BY 1", SCHEMA)
                .stream().map(row -> row.get("tablename") + " " + row.get("tableowner")).toList();
        assertThat(ours).contains("flyway_schema_history " + ROLE, "sync_state " + ROLE, "dead_letter " + ROLE,
                "course_dates " + ROLE, "course_completion " + ROLE, "sync_instance " + ROLE, "qrtz_triggers " + ROLE, "qrtz_locks " + ROLE)
                .contains("drift_finding " + ROLE, "drift_reconcile " + ROLE).hasSize(26);
    }
}
