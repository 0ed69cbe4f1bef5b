package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.MoodleEnrolments.Sent;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made in accessplanit reach the enrolments the integration made in Moodle (the emulator), with the
 * default changes.cancelled-booking = suspend: a cancellation suspends, a re-booking re-activates, a move to
 * another date enrols there first and then suspends the old one, a move between dates of one e-learning template
 * changes nothing, and a teacher's own enrolments are never touched. Each test uses its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false"})
class ChangesToMoodleTest extends SyncTestSupport {

    private static final String ENROL = "enrol_manual_enrol_users";
    private static final String UNENROL = "enrol_manual_unenrol_users";

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleSite site;
    MoodleEnrolments enrolments;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
        enrolments = new MoodleEnrolments(moodle);
    }

    @AfterEach
    void nothingLost() {
        awaitPolls(2);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aCancelledBookingIsSuspendedOnceAndReactivatedOnceWhenBookedAgain() {
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(1, "Alice", "Anderson", "alice@example.org");
        accessplanit.delegate(100, 1, 10, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100)));
        long user = accessplanit.userMoodleId(1);
        long course = accessplanit.courseMoodleId(10);
        assertThat(record(100)).containsExactly(Map.of("moodle_user_id", user, "moodle_course_id", course,
                "course_id", 10L, "state", "ACTIVE"));

        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 100");

        eventually().until(() -> enrolments.of(user, course).map(Enrolment::suspended).orElse(false));
        eventually().until(() -> "SUSPENDED".equals(record(100).get(0).get("state")));
        awaitPolls(3);
        assertThat(enrolments.of(user, course)).as("suspended, not removed: grades and history stay")
                .hasValueSatisfying(e -> assertThat(e.suspended()).isTrue());
        List<Sent> suspensions = enrolments.sent(ENROL, user, course).stream()
                .filter(sent -> "1".equals(sent.field("suspend"))).toList();
        assertThat(suspensions).as("suspended exactly once across polls").singleElement()
                .satisfies(sent -> assertThat(sent.fields()).containsOnlyKeys("roleid", "userid", "courseid", "suspend"));
        assertThat(enrolments.sent(UNENROL, user, course)).isEmpty();
        assertThat(accessplanit.syncState("cancellation", recordId(100))).isEqualTo("DONE");

        db.update("UPDATE delegates SET status = 'BOOKED' WHERE id = 100");

        eventually().until(() -> enrolments.of(user, course).map(e -> !e.suspended()).orElse(false));
        eventually().until(() -> "ACTIVE".equals(record(100).get(0).get("state")));
        awaitPolls(3);
        assertThat(enrolments.sent(ENROL, user, course).stream().filter(sent -> "0".equals(sent.field("suspend"))))
                .as("re-activated exactly once").hasSize(1);
        assertThat(enrolments.sent(ENROL, user, course)).as("enrolled, suspended, re-activated: three entries")
                .hasSize(3);
        assertThat(accessplanit.syncState("reactivation", recordId(100))).isEqualTo("DONE");

        // Cancelled a second time: suspended again (a done cancellation is no end state).
        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 100");
        eventually().until(() -> enrolments.of(user, course).map(Enrolment::suspended).orElse(false));
        eventually().until(() -> "SUSPENDED".equals(record(100).get(0).get("state")));
        awaitPolls(3);
        assertThat(enrolments.sent(ENROL, user, course)).hasSize(4);
    }

    @Test
    void aTeachersOwnEnrolmentsAreNeverTouched() {
        accessplanit.classroomCourse(20, "Manual Handling");
        accessplanit.user(2, "Bob", "Brown", "bob@example.org");
        accessplanit.delegate(200, 2, 20, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 200)));
        long course = accessplanit.courseMoodleId(20);
        long learner = accessplanit.userMoodleId(2);
        // A teacher, and a learner the teacher enrolled in Moodle itself (no booking in accessplanit).
        long teacher = site.addUser("teacher.tess", "Tess", "Teacher", "tess@example.org").id();
        long guest = site.addUser("guest.gina", "Gina", "Guest", "gina@example.org").id();
        site.addEnrolment(new Enrolment(teacher, course, 3, false, 0, 0));
        long start = OffsetDateTime.parse("2027-03-01T00:00:00Z").toEpochSecond();
        site.addEnrolment(new Enrolment(guest, course, STUDENT_ROLE, false, start, 0));

        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 200");

        eventually().until(() -> enrolments.of(learner, course).map(Enrolment::suspended).orElse(false));
        awaitPolls(3);
        assertThat(enrolments.of(teacher, course)).contains(new Enrolment(teacher, course, 3, false, 0, 0));
        assertThat(enrolments.of(guest, course)).contains(new Enrolment(guest, course, STUDENT_ROLE, false, start, 0));
        assertThat(enrolments.sentAny(teacher, course)).isEmpty();
        assertThat(enrolments.sentAny(guest, course)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM moodle_enrolment WHERE moodle_course_id = ?", course))
                .as("only the integration's enrolment is recorded").isEqualTo(1);
    }

    @Test
    void aBookingMovedToAnotherDateIsEnrolledThereFirstThenSuspendedOnTheOldOne() {
        accessplanit.classroomCourse(30, "First Aid, March");
        accessplanit.course(31, 30, "First Aid, April", "CLASSROOM", OffsetDateTime.parse("2027-04-01T09:00:00Z"),
                null, true, null);
        accessplanit.user(3, "Carol", "Clark", "carol@example.org");
        accessplanit.delegate(300, 3, 30, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 300))
                && accessplanit.courseMoodleId(31) != null);
        long user = accessplanit.userMoodleId(3);
        long march = accessplanit.courseMoodleId(30);
        long april = accessplanit.courseMoodleId(31);

        // accessplanit records a transfer as the booking's course changing.
        db.update("UPDATE delegates SET course_id = 31 WHERE id = 300");

        eventually().until(() -> enrolments.of(user, march).map(Enrolment::suspended).orElse(false));
        awaitPolls(3);
        assertThat(enrolments.of(user, april)).hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        List<Sent> onApril = enrolments.sent(ENROL, user, april);
        List<Sent> suspendedOnMarch = enrolments.sent(ENROL, user, march).stream()
                .filter(sent -> "1".equals(sent.field("suspend"))).toList();
        assertThat(onApril).as("enrolled once on the new date").hasSize(1);
        assertThat(suspendedOnMarch).as("suspended once on the old date").hasSize(1);
        assertThat(onApril.get(0).callIndex()).as("the new enrolment first").isLessThan(suspendedOnMarch.get(0).callIndex());
        assertThat(db.rows("SELECT moodle_course_id, course_id, state FROM moodle_enrolment WHERE delegate_id = 300"
                + " ORDER BY id")).containsExactly(
                        Map.of("moodle_course_id", march, "course_id", 30L, "state", "SUSPENDED"),
                        Map.of("moodle_course_id", april, "course_id", 31L, "state", "ACTIVE"));
        assertThat(accessplanit.syncState("enrolment", 300)).isEqualTo("DONE");

        // Moved back: the old enrolment is re-activated, the April one suspended; nothing enrolled anew.
        db.update("UPDATE delegates SET course_id = 30 WHERE id = 300");
        eventually().until(() -> enrolments.of(user, april).map(Enrolment::suspended).orElse(false)
                && enrolments.of(user, march).map(e -> !e.suspended()).orElse(false));
        awaitPolls(3);
        assertThat(enrolments.sent(ENROL, user, april)).hasSize(2);
        assertThat(enrolments.sent(ENROL, user, march)).hasSize(3);
    }

    @Test
    void aBookingMovedBetweenDatesOfOneElearningTemplateKeepsItsEnrolment() {
        long shared = site.addCourse("ELEARN-40", "Data Protection online", "", CATEGORY).id();
        accessplanit.template(40, "aims", shared);
        accessplanit.course(40, 40, "Data Protection, March cohort", "ELEARNING", OffsetDateTime.parse("2027-03-01T09:00:00Z"),
                null, false, null);
        accessplanit.course(41, 40, "Data Protection, April cohort", "ELEARNING", OffsetDateTime.parse("2027-04-01T09:00:00Z"),
                null, false, null);
        accessplanit.user(4, "Dave", "Davies", "dave@example.org");
        accessplanit.delegate(400, 4, 40, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 400)));
        long user = accessplanit.userMoodleId(4);
        int callsBefore = enrolments.sentAny(user, shared).size();

        db.update("UPDATE delegates SET course_id = 41 WHERE id = 400");

        awaitPolls(5);
        assertThat(enrolments.of(user, shared)).as("never left without access")
                .hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        assertThat(enrolments.sentAny(user, shared)).as("no call: both dates share the Moodle course").hasSize(callsBefore);
        assertThat(db.rows("SELECT state FROM moodle_enrolment WHERE delegate_id = 400"))
                .containsExactly(Map.of("state", "ACTIVE"));
    }

    @Test
    void bookingsEnrolledBeforeTheRecordWasKeptAreRecordedAtStartUp() {
        // What the start-up SQL does, run again here on a booking whose record is missing (as before the upgrade).
        accessplanit.classroomCourse(50, "Ladders");
        accessplanit.user(5, "Erin", "Evans", "erin@example.org");
        accessplanit.delegate(500, 5, 50, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 500)));
        db.update("DELETE FROM moodle_enrolment WHERE delegate_id = 500");
        String sql = readSql("record-earlier-enrolments.sql");

        db.update(sql);
        db.update(sql);

        assertThat(record(500)).containsExactly(Map.of("moodle_user_id", accessplanit.userMoodleId(5),
                "moodle_course_id", accessplanit.courseMoodleId(50), "course_id", 50L, "state", "ACTIVE"));
        awaitPolls(3);
        assertThat(enrolments.sentAny(accessplanit.userMoodleId(5), accessplanit.courseMoodleId(50)))
                .as("not enrolled again").hasSize(1);
    }

    private List<Map<String, Object>> record(long delegateId) {
        return db.rows("SELECT moodle_user_id, moodle_course_id, course_id, state FROM moodle_enrolment"
                + " WHERE delegate_id = ?", delegateId);
    }

    private long recordId(long delegateId) {
        return (Long) db.value("SELECT id FROM moodle_enrolment WHERE delegate_id = ?", delegateId);
    }

    static String readSql(String name) {
        try (var in = ChangesToMoodleTest.class.getResourceAsStream("/sql/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitPolls(int polls) {
        for (String route : List.of("poll-enrolment", "poll-cancellation", "poll-reactivation")) {
            NotifyBuilder notify = new NotifyBuilder(context).fromRoute(route).whenCompleted(polls).create();
            assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of " + route).isTrue();
        }
    }
}
