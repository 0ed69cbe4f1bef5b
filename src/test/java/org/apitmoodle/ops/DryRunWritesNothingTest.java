package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A dry run writes nothing: not to Moodle, not to the accessplanit tables, not to the integration's own tables
 * (claims, dead-letter queue, course dates). Every table of both schemas is read before and after and compared.
 * Every kind of work is waiting: new courses, users and enrolments, a user Moodle already holds (a look-up that
 * would be written back), a bad record (a dead letter), changed course dates, grades to read, and each change in
 * its own record: a changed user and course, a cancelled and a re-booked enrolment, and a group to make.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "sync.dry-run=true",
        "course-dates.enabled=true", "grades.enabled=true", "grades.cron=0/1 * * * * ?"})
class DryRunWritesNothingTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    /** Every table of the integration's schema and of public, as one digest of its rows each. */
    private static Map<String, String> everyTable() {
        Map<String, String> digests = new LinkedHashMap<>();
        for (var table : db.rows("SELECT table_schema, table_name FROM information_schema.tables"
                + " WHERE table_schema IN ('public', 'apit_sync') AND table_type = 'BASE TABLE'"
                // Quartz's own bookkeeping (its cluster check-in, the next fire time) is the scheduler's, not
                // the sync's; Flyway's history is written at start-up only.
                + " AND table_name NOT LIKE 'qrtz%' ORDER BY 1, 2")) {
            String name = table.get("table_schema") + "." + table.get("table_name");
            digests.put(name, String.valueOf(db.value("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ','"
                    + " ORDER BY t::text)), '') FROM " + name + " t")));
        }
        return digests;
    }

    @Test
    void aDryRunWritesNothingAnywhere() {
        Accessplanit accessplanit = new Accessplanit(db);
        // New: a course, a user, a booking.
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(10, "Alice", "Anderson", "alice@example.com");
        accessplanit.delegate(10, 10, 10, "BOOKED");
        // Bad: no email, dead-lettered in a real run.
        accessplanit.user(11, "Bob", "Brown", "");
        accessplanit.delegate(11, 11, 10, "BOOKED");
        // In Moodle already: a real run adopts her and writes her Moodle id back.
        moodle.site().addUser("apit.12", "Carol", "Clark", "carol@example.com");
        accessplanit.user(12, "Carol", "Clark", "carol@example.com");
        accessplanit.delegate(12, 12, 10, "BOOKED");
        // Synced earlier: a course in Moodle with changed dates, a delegate enrolled with a grade to read.
        long moodleCourse = moodle.site().addCourse("APIT-20", "First Aid", "APIT-C-20", CATEGORY).id();
        long moodleUser = moodle.site().addUser("apit.20", "Dan", "Dale", "dan@example.com").id();
        moodle.site().enrol(moodleUser, moodleCourse, STUDENT_ROLE, false);
        moodle.site().setGrade(moodleCourse, moodleUser, 90.0);
        accessplanit.classroomCourse(20, "First Aid");
        db.update("UPDATE courses SET moodle_id = ? WHERE id = 20", moodleCourse);
        accessplanit.user(20, "Dan", "Dale", "dan@example.com");
        db.update("UPDATE users SET moodle_id = ? WHERE id = 20", moodleUser);
        accessplanit.delegate(20, 20, 20, "BOOKED");
        db.update("INSERT INTO apit_sync.sync_state (entity_type, entity_id, state) VALUES ('course', 20, 'DONE'),"
                + " ('user', 20, 'DONE'), ('enrolment', 20, 'DONE')");
        db.update("INSERT INTO apit_sync.course_dates (course_id, pushed_startdate, pushed_enddate) VALUES (20, 1, 2)");
        // The changes, each waiting in its own record: Dan's name changed since it was sent, the course's label too.
        db.update("INSERT INTO apit_sync.user_sent (user_id, fields) VALUES (20,"
                + " '{\"firstname\": \"Daniel\", \"lastname\": \"Dale\", \"email\": \"dan@example.com\"}')");
        db.update("INSERT INTO apit_sync.course_details_sent (course_id, fields) VALUES (20, jsonb_build_object("
                + "'fullname', 'First Aid (old label)', 'summary', (SELECT aims FROM course_templates WHERE id = 20),"
                + " 'summaryformat', 1))");
        // A booking cancelled since it was enrolled, and one suspended then booked again.
        long erin = moodle.site().addUser("apit.21", "Erin", "Evans", "erin@example.com").id();
        long fred = moodle.site().addUser("apit.22", "Fred", "Ford", "fred@example.com").id();
        moodle.site().enrol(erin, moodleCourse, STUDENT_ROLE, false);
        moodle.site().enrol(fred, moodleCourse, STUDENT_ROLE, true);
        for (long user = 21; user <= 22; user++) {
            accessplanit.user(user, user == 21 ? "Erin" : "Fred", user == 21 ? "Evans" : "Ford",
                    (user == 21 ? "erin" : "fred") + "@example.com");
            db.update("UPDATE users SET moodle_id = ? WHERE id = ?", user == 21 ? erin : fred, user);
            accessplanit.delegate(user, user, 20, user == 21 ? "CANCELLED" : "BOOKED");
            db.update("INSERT INTO apit_sync.sync_state (entity_type, entity_id, state) VALUES ('user', ?, 'DONE'),"
                    + " ('enrolment', ?, 'DONE')", user, user);
            db.update("INSERT INTO apit_sync.moodle_enrolment (delegate_id, course_id, moodle_user_id, moodle_course_id,"
                    + " state) VALUES (?, 20, ?, ?, ?)", user, user == 21 ? erin : fred, moodleCourse,
                    user == 21 ? "ACTIVE" : "SUSPENDED");
        }
        // An e-learning date whose booking is enrolled on the template's Moodle course: its group is to be made.
        long shared = moodle.site().addCourse("ELEARN-30", "Data Protection online", "", CATEGORY).id();
        moodle.site().enrol(moodleUser, shared, STUDENT_ROLE, false);
        accessplanit.template(30, "aims", shared);
        accessplanit.course(30, 30, "Data Protection", "ELEARNING", java.time.OffsetDateTime.parse(
                "2027-03-01T09:00:00Z"), null, false, null);
        accessplanit.delegate(30, 20, 30, "BOOKED");
        db.update("INSERT INTO apit_sync.sync_state (entity_type, entity_id, state) VALUES ('enrolment', 30, 'DONE')");
        db.update("INSERT INTO apit_sync.moodle_enrolment (delegate_id, course_id, moodle_user_id, moodle_course_id,"
                + " state) VALUES (30, 30, ?, ?, 'ACTIVE')", moodleUser, shared);
        DryRun dryRun = context.getRegistry().lookupByNameAndType("dryRun", DryRun.class);
        int callsBefore = moodle.calls().size();
        Map<String, String> before = everyTable();
        // A whole grade poll runs after the first look: its grades are written with a batch statement, which
        // Camel's sql component commits itself.
        NotifyBuilder gradePoll = new NotifyBuilder(context).fromRoute("poll-grades").whenCompleted(1).create();

        eventually().until(() -> dryRun.counts().keySet().containsAll(java.util.List.of("course", "user", "course-dates",
                "user-update", "course-details", "cancellation", "reactivation", "group")));
        eventually().until(() -> moodle.calls().stream().anyMatch(c -> c.wsfunction().equals("gradereport_user_get_grade_items")));
        NotifyBuilder morePolls = new NotifyBuilder(context).fromRoute("poll-user").whenCompleted(3).create();
        assertThat(morePolls.matches(90, TimeUnit.SECONDS)).isTrue();
        assertThat(gradePoll.matches(90, TimeUnit.SECONDS)).as("a grade poll ran").isTrue();

        assertThat(everyTable()).as("every table after the dry run").isEqualTo(before);
        assertThat(moodle.calls().subList(callsBefore, moodle.calls().size())).extracting(RecordedCall::wsfunction)
                .allMatch(function -> function.contains("_get_"));
        assertThat(moodle.site().userByUsername("apit.10")).isEmpty();
        System.out.printf("FAULT %-48s synced=0 dead-lettered=0 duplicates=0 calls-while-paused=- time-to-resume=-"
                + " tables-changed=0 of %d%n", "dry run", before.size());
    }
}
