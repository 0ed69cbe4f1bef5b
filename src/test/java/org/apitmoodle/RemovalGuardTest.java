package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The removal guard: more cancellations waiting than changes.max-removals-per-poll (here 2) stop them all, the
 * health check removal-guard says why, and an operator's POST /removals/confirm lets exactly those through.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "ops.refresh-period-ms=200", "changes.max-removals-per-poll=2", "camel.server.enabled=true",
        "dead-letters.username=operator", "dead-letters.password=" + RemovalGuardTest.PASSWORD})
class RemovalGuardTest extends OperatorServerTestSupport {

    static final String PASSWORD = "guard the learners";

    @BeanInject
    CamelContext context;

    @Test
    void tooManyCancellationsWaitForAnOperatorThenGoExactlyOnce() {
        Accessplanit accessplanit = new Accessplanit(db);
        MoodleEnrolments enrolments = new MoodleEnrolments(moodle);
        Observe observe = new Observe(managementPort);
        OperatorHttp http = new OperatorHttp(port);
        accessplanit.classroomCourse(10, "Fire Safety");
        for (int n = 1; n <= 4; n++) {
            accessplanit.user(n, "Learner", "Number " + n, "learner" + n + "@example.org");
            accessplanit.delegate(100 + n, n, 10, "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE'") == 4);
        long course = accessplanit.courseMoodleId(10);

        // A faulty import cancels three of the four bookings at once: more than 2.
        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id IN (101, 102, 103)");

        eventually().until(() -> observe.health("/ready").check("removal-guard").path("status").asText().equals("DOWN"));
        awaitPolls(5);
        assertThat(moodle.calls().stream().filter(call -> call.wsfunction().equals("enrol_manual_enrol_users")
                && call.params().stream().anyMatch(p -> p.getKey().endsWith("[suspend]")))).as("nothing suspended").isEmpty();
        assertThat(moodle.site().enrolments()).allSatisfy(e -> assertThat(e.suspended()).isFalse());
        assertThat(db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE'")).isEqualTo(4);
        String message = observe.health("/ready?exposureLevel=full").check("removal-guard").path("message").asText();
        assertThat(message).contains("3 enrolments wait to be suspended or unenrolled")
                .contains("changes.max-removals-per-poll (2)").contains("removals").contains("confirm");

        assertThat(http.post("/removals/confirm", null).statusCode()).as("operators only").isEqualTo(401);
        HttpResponse<String> confirmed = http.post("/removals/confirm", OperatorHttp.basic("operator", PASSWORD));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).isEqualTo("{\"confirmed\": 3}");

        eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'SUSPENDED'") == 3);
        eventually().until(() -> observe.health("/ready").check("removal-guard").path("status").asText().equals("UP"));
        awaitPolls(3);
        for (int n = 1; n <= 4; n++) {
            long user = accessplanit.userMoodleId(n);
            boolean cancelled = n <= 3;
            assertThat(enrolments.of(user, course)).as("learner " + n)
                    .hasValueSatisfying(e -> assertThat(e.suspended()).isEqualTo(cancelled));
            assertThat(enrolments.sent("enrol_manual_enrol_users", user, course)).hasSize(cancelled ? 2 : 1);
        }
        assertThat(db.count("SELECT count(*) FROM removal_confirmation")).as("confirmations are used up").isZero();

        // One more cancellation later is within the limit: it goes without asking.
        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 104");
        eventually().until(() -> enrolments.of(accessplanit.userMoodleId(4), course).map(Enrolment::suspended).orElse(false));
        assertNothingLostAndNothingTwice();
    }

    private void awaitPolls(int polls) {
        NotifyBuilder notify = new NotifyBuilder(context).fromRoute("poll-cancellation").whenCompleted(polls).create();
        assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of poll-cancellation").isTrue();
    }
}
