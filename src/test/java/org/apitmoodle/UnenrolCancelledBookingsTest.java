package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** changes.cancelled-booking = unenrol: a cancelled booking's enrolment is removed; booked again, it is enrolled anew. */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "changes.cancelled-booking=unenrol"})
class UnenrolCancelledBookingsTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleEnrolments enrolments;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        enrolments = new MoodleEnrolments(moodle);
    }

    @Test
    void aCancelledBookingIsUnenrolledOnceAndEnrolledAgainWhenBookedAgain() {
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(1, "Alice", "Anderson", "alice@example.org");
        accessplanit.user(2, "Bob", "Brown", "bob@example.org");
        accessplanit.delegate(100, 1, 10, "BOOKED");
        accessplanit.delegate(101, 2, 10, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100))
                && "DONE".equals(accessplanit.syncState("enrolment", 101)));
        long alice = accessplanit.userMoodleId(1);
        long bob = accessplanit.userMoodleId(2);
        long course = accessplanit.courseMoodleId(10);

        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 100");

        eventually().until(() -> enrolments.of(alice, course).isEmpty());
        eventually().until(() -> "UNENROLLED".equals(state(100)));
        awaitPolls(3);
        assertThat(enrolments.sent("enrol_manual_unenrol_users", alice, course)).as("unenrolled exactly once")
                .singleElement().satisfies(sent -> assertThat(sent.fields()).containsOnlyKeys("userid", "courseid"));
        assertThat(enrolments.of(bob, course)).as("the other booking stays")
                .hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        assertThat(enrolments.sentAny(bob, course)).hasSize(1);

        db.update("UPDATE delegates SET status = 'BOOKED' WHERE id = 100");

        eventually().until(() -> enrolments.of(alice, course).map(e -> !e.suspended()).orElse(false));
        eventually().until(() -> "ACTIVE".equals(state(100)));
        awaitPolls(3);
        assertThat(enrolments.sent("enrol_manual_enrol_users", alice, course)).as("enrolled, then enrolled again")
                .hasSize(2);
        assertThat(enrolments.of(alice, course)).contains(new Enrolment(alice, course, STUDENT_ROLE, false, 0, 0));
        assertThat(accessplanit.syncState("enrolment", 100)).isEqualTo("DONE");
        assertNothingLostAndNothingTwice();
    }

    @Test
    void anUnenrolledLearnerLeavesTheGroupAsMoodleDoesAndIsPutBackWhenBookedAgain() {
        long shared = moodle.site().addCourse("ELEARN-60", "Data Protection online", "", CATEGORY).id();
        accessplanit.template(60, "aims", shared);
        accessplanit.course(60, 60, "Data Protection", "ELEARNING", java.time.OffsetDateTime.parse(
                "2027-03-01T09:00:00Z"), null, false, null);
        accessplanit.user(6, "Fay", "Fox", "fay@example.org");
        accessplanit.delegate(600, 6, 60, "BOOKED");
        eventually().until(() -> db.count("SELECT count(*) FROM group_member m JOIN moodle_enrolment e"
                + " ON e.id = m.enrolment_id WHERE e.delegate_id = 600") == 1);
        long fay = accessplanit.userMoodleId(6);
        long group = moodle.site().groupsIn(shared).get(0).id();
        assertThat(moodle.site().groupMembers(group)).containsExactly(fay);

        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 600");

        eventually().until(() -> "UNENROLLED".equals(state(600)));
        // Moodle took her out of the group with the enrolment; the integration's record says the same.
        assertThat(moodle.site().groupMembers(group)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM group_member m JOIN moodle_enrolment e ON e.id = m.enrolment_id"
                + " WHERE e.delegate_id = 600")).isZero();

        db.update("UPDATE delegates SET status = 'BOOKED' WHERE id = 600");

        eventually().until(() -> moodle.site().groupMembers(group).contains(fay));
        assertThat(enrolments.of(fay, shared)).hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        assertNothingLostAndNothingTwice();
    }

    private String state(long delegateId) {
        List<Map<String, Object>> rows = db.rows("SELECT state FROM moodle_enrolment WHERE delegate_id = ?", delegateId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("state");
    }

    private void awaitPolls(int polls) {
        for (String route : List.of("poll-enrolment", "poll-cancellation", "poll-reactivation")) {
            NotifyBuilder notify = new NotifyBuilder(context).fromRoute(route).whenCompleted(polls).create();
            assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of " + route).isTrue();
        }
    }
}
