package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The mass-repair guard: the reconcile runs on its schedule (drift.cron, every 2 s here); when more findings wait to
 * be repaired than drift.max-repairs-per-reconcile (2), none is: they are HELD, the status page says so, reconcile
 * after reconcile, until an operator confirms; then exactly those are repaired. One more later, within the limit, is
 * repaired without asking.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "ops.refresh-period-ms=200", "camel.server.enabled=true", "dead-letters.username=operator",
        "dead-letters.password=" + DriftGuardTest.PASSWORD, "drift.enabled=true", "drift.cron=0/2 * * * * ?",
        "drift.max-repairs-per-reconcile=2"})
class DriftGuardTest extends OperatorServerTestSupport {

    static final String PASSWORD = "guard the repairs";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tooManyRepairsWaitForAnOperatorThenGoOnce() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        MoodleEnrolments enrolments = new MoodleEnrolments(moodle);
        OperatorHttp http = new OperatorHttp(port);
        String operator = OperatorHttp.basic("operator", PASSWORD);
        accessplanit.classroomCourse(10, "Fire Safety");
        for (int n = 1; n <= 4; n++) {
            accessplanit.user(n, "Learner", "Number " + n, "learner" + n + "@example.org");
            accessplanit.delegate(100 + n, n, 10, "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE'") == 4);
        long course = accessplanit.courseMoodleId(10);

        // Someone removes three learners in Moodle: more than 2 repairs.
        for (int n = 1; n <= 3; n++) {
            moodle.site().unenrolByHand(accessplanit.userMoodleId(n), course);
        }
        eventually().until(() -> db.count("SELECT count(*) FROM drift_finding WHERE action = 'HELD'") == 3);
        long done = db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'");
        eventually().until(() -> db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'") >= done + 2);
        for (int n = 1; n <= 3; n++) {
            assertThat(enrolments.of(accessplanit.userMoodleId(n), course)).as("learner " + n + " held").isEmpty();
        }
        assertThat(db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE'")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM drift_finding")).as("seen again, noted once").isEqualTo(3);
        eventually().until(() -> http.get("/status", operator).body().contains("The mass-repair guard holds 3 drift repair(s)"));
        assertThat(JSON.readTree(http.get("/drift/findings", operator).body()).path("held").asLong()).isEqualTo(3);

        assertThat(http.post("/drift/confirm-repairs", null).statusCode()).as("operators only").isEqualTo(401);
        HttpResponse<String> confirmed = http.post("/drift/confirm-repairs", operator);
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).isEqualTo("{\"confirmed\": 3}");
        for (int n = 1; n <= 3; n++) {
            long user = accessplanit.userMoodleId(n);
            eventually().until(() -> enrolments.of(user, course).isPresent());
        }
        assertThat(db.rows("SELECT DISTINCT action, confirmed_by FROM drift_finding"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("action")).isEqualTo("REPAIRED");
                    assertThat(r.get("confirmed_by")).isEqualTo("operator");
                });
        long after = db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'");
        eventually().until(() -> db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'") >= after + 2);
        assertThat(db.count("SELECT count(*) FROM drift_finding WHERE closed_at IS NULL")).isZero();
        for (int n = 1; n <= 4; n++) {
            assertThat(enrolments.sent("enrol_manual_enrol_users", accessplanit.userMoodleId(n), course))
                    .hasSize(n <= 3 ? 2 : 1);
        }

        // One more later is within the limit: repaired at the next reconcile, without asking.
        moodle.site().unenrolByHand(accessplanit.userMoodleId(4), course);
        eventually().until(() -> db.count("SELECT count(*) FROM drift_finding WHERE action = 'REPAIRED'"
                + " AND confirmed_at IS NULL") == 1);
        eventually().until(() -> enrolments.of(accessplanit.userMoodleId(4), course).isPresent());
        assertNothingLostAndNothingTwice();
    }
}
