package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Every kind of change switched off (changes.cancelled-booking = keep, changes.update-users, changes.update-courses
 * and changes.groups false): the integration only creates, as accessplanit's own module, and nothing waits.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "changes.cancelled-booking=keep", "changes.update-users=false", "changes.update-courses=false",
        "changes.groups=false"})
class ChangesSwitchedOffTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void nothingButCreationsReachesMoodle() {
        Accessplanit accessplanit = new Accessplanit(db);
        long shared = moodle.site().addCourse("ELEARN-1", "Online", "", CATEGORY).id();
        accessplanit.template(1, "aims", shared);
        accessplanit.course(1, 1, "Online, March", "ELEARNING", OffsetDateTime.parse("2027-03-01T09:00:00Z"), null,
                false, null);
        accessplanit.course(2, 1, "Online, April", "ELEARNING", OffsetDateTime.parse("2027-04-01T09:00:00Z"), null,
                false, null);
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(1, "Alice", "Anderson", "alice@example.org");
        accessplanit.delegate(100, 1, 10, "BOOKED");
        accessplanit.delegate(101, 1, 1, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100))
                && "DONE".equals(accessplanit.syncState("enrolment", 101)));
        long user = accessplanit.userMoodleId(1);
        long course = accessplanit.courseMoodleId(10);
        int calls = moodle.calls().size();

        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 100");
        db.update("UPDATE users SET surname = 'Anderson-Smith' WHERE id = 1");
        db.update("UPDATE courses SET label = 'Fire Safety (2027)' WHERE id = 10");
        accessplanit.delegate(102, 1, 2, "BOOKED");

        NotifyBuilder polls = new NotifyBuilder(context).fromRoute("poll-enrolment").whenCompleted(5).create();
        assertThat(polls.matches(90, TimeUnit.SECONDS)).isTrue();
        List<RecordedCall> since = moodle.calls().subList(calls, moodle.calls().size());
        assertThat(since).extracting(RecordedCall::wsfunction).as("only the new booking's enrolment")
                .containsOnly("enrol_manual_enrol_users");
        assertThat(new MoodleEnrolments(moodle).of(user, course)).as("kept")
                .hasValueSatisfying(e -> assertThat(e.suspended()).isFalse());
        assertThat(moodle.site().userById(user).orElseThrow().lastname()).isEqualTo("Anderson");
        assertThat(moodle.site().courseById(course).orElseThrow().fullname()).isEqualTo("Fire Safety");
        assertThat(moodle.site().groupsIn(shared)).isEmpty();
        for (String view : List.of("waiting_cancellation", "waiting_user_update", "waiting_course_details",
                "waiting_group", "waiting_group_member")) {
            assertThat(db.count("SELECT count(*) FROM " + view)).as(view + ": nothing waits").isZero();
        }
        assertThat(db.value("SELECT state FROM moodle_enrolment WHERE delegate_id = 100")).isEqualTo("ACTIVE");
    }
}
