package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.support.DriftScene;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Drift reported: with every drift.&lt;kind&gt; = report, an operator starts a reconcile on the operators' server; each
 * kind of drift is found once, named as people know it, listed on the status page, in GET /drift/findings and in the
 * metric, and nothing is changed, in accessplanit or in Moodle. A finding put right by hand is closed by the next
 * reconcile. Teachers' enrolments and a course the integration never touched are never read as drift, and the
 * reconcile makes a bounded number of calls.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "ops.refresh-period-ms=200", "camel.server.enabled=true", "dead-letters.username=operator",
        "dead-letters.password=" + DriftReportTest.PASSWORD, "drift.enabled=false",
        "drift.enrolment-missing=report"})
class DriftReportTest extends OperatorServerTestSupport {

    static final String PASSWORD = "watch the drift";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyKindIsReportedOnceNamedAndNothingChanges() throws Exception {
        DriftScene scene = new DriftScene(db, moodle);
        OperatorHttp http = new OperatorHttp(port);
        String operator = OperatorHttp.basic("operator", PASSWORD);
        Observe observe = new Observe(managementPort);
        scene.synced(eventually());
        scene.changedInMoodle();
        List<Map<String, Object>> recordBefore = db.rows("SELECT id, state, moodle_user_id, moodle_course_id"
                + " FROM moodle_enrolment ORDER BY id");
        List<Map<String, Object>> idsBefore = db.rows("SELECT id, moodle_id FROM users UNION ALL"
                + " SELECT -id, moodle_id FROM courses ORDER BY 1");
        long writesBefore = scene.calls("enrol_manual_enrol_users") + scene.calls("core_user_create_users")
                + scene.calls("core_course_create_courses");
        int callsBefore = moodle.calls().size();

        assertThat(http.post("/drift/reconcile", null).statusCode()).as("operators only").isEqualTo(401);
        HttpResponse<String> started = http.post("/drift/reconcile", operator);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).isEqualTo("{\"started\": true}");
        eventually().until(() -> db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'") == 1);

        List<Map<String, Object>> findings = scene.openFindings();
        assertThat(findings).extracting(f -> f.get("kind") + " / " + f.get("subject")).containsExactly(
                "account-deleted / Dan Deleted (dan@example.org)",
                "account-replaced / Fay Replaced (fay@example.org)",
                "account-suspended / Eve Locked (eve@example.org)",
                "course-deleted / Manual Handling",
                "course-replaced / Data Protection",
                "enrolment-missing / Ann Removed (ann@example.org) on Fire Safety",
                "enrolment-reactivated / Cat Reactivated (cat@example.org) on Fire Safety",
                "enrolment-suspended / Ben Suspended (ben@example.org) on Fire Safety");
        assertThat(findings).allSatisfy(f -> assertThat(f.get("action")).isEqualTo("REPORTED"));
        assertThat(findings).filteredOn(f -> f.get("kind").equals("account-deleted")).singleElement()
                .satisfies(f -> assertThat((String) f.get("detail")).contains("deleted in Moodle")
                        .contains("dan@example.org."));
        assertThat(findings).filteredOn(f -> f.get("kind").equals("account-replaced")).singleElement()
                .satisfies(f -> assertThat((String) f.get("detail")).contains("someone.else"));

        // Reported only: the record, the written-back ids and Moodle are as they were.
        assertThat(db.rows("SELECT id, state, moodle_user_id, moodle_course_id FROM moodle_enrolment ORDER BY id"))
                .isEqualTo(recordBefore);
        assertThat(db.rows("SELECT id, moodle_id FROM users UNION ALL SELECT -id, moodle_id FROM courses ORDER BY 1"))
                .isEqualTo(idsBefore);
        eventually().during(java.time.Duration.ofSeconds(2)).until(() -> scene.calls("enrol_manual_enrol_users")
                + scene.calls("core_user_create_users") + scene.calls("core_course_create_courses") == writesBefore);
        // Bounded: one look-up of the accounts, one of the courses, two reads of each of the two courses still
        // there (all enrolled users, then the suspended ones). Moodle's own course is never read.
        long reconcileCalls = moodle.calls().subList(callsBefore, moodle.calls().size()).stream()
                .filter(c -> !c.wsfunction().equals("core_webservice_get_site_info")).count();
        assertThat(reconcileCalls).isEqualTo(6);
        assertThat(db.value("SELECT moodle_calls FROM drift_reconcile")).isEqualTo(6);
        scene.untouchedCourseNeverRead();

        // What operators see: the status page, the JSON list, the metric.
        eventually().until(() -> observe.metrics().contains("apit_drift_findings_open{kind=\"enrolment-missing\"} 1.0"));
        assertThat(observe.metrics()).contains("apit_drift_findings_open{kind=\"course-deleted\"} 1.0");
        eventually().until(() -> http.get("/status", operator).body().contains("Ann Removed (ann@example.org) on Fire Safety"));
        String page = http.get("/status", operator).body();
        assertThat(page).contains("8 drift findings").contains("Enrolment removed in Moodle")
                .contains("Account deleted in Moodle").contains("Course deleted in Moodle")
                .contains("compared with 6 Moodle call(s); 8 finding(s)");
        JsonNode listed = JSON.readTree(http.get("/drift/findings", operator).body());
        assertThat(listed.path("open").path("account-suspended").asLong()).isEqualTo(1);
        assertThat(listed.path("held").asLong()).isZero();
        assertThat(listed.path("findings")).hasSize(8);
        assertThat(listed.path("findings").findValuesAsText("subject")).contains("Manual Handling");

        // Ann is enrolled again by hand: the next reconcile closes her finding, and notes the others once more.
        moodle.site().enrol(scene.user(1), scene.fireSafety, 5, false);
        assertThat(http.post("/drift/reconcile", operator).statusCode()).isEqualTo(200);
        eventually().until(() -> db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'") == 2);
        assertThat(scene.openFindings()).hasSize(7).noneMatch(f -> f.get("kind").equals("enrolment-missing"));
        assertThat(db.value("SELECT outcome FROM drift_finding WHERE kind = 'enrolment-missing'").toString())
                .contains("No longer found");
        assertThat(db.count("SELECT count(*) FROM drift_finding")).as("one row per finding").isEqualTo(8);
        eventually().until(() -> observe.metrics().contains("apit_drift_findings_open{kind=\"enrolment-missing\"} 0.0"));

        // Moodle in maintenance: the reconcile stops, says why, and closes nothing it could not compare.
        moodle.site().unenrolByHand(scene.user(9), scene.fireSafety);
        moodle.maintenanceMode(true);
        try {
            assertThat(http.post("/drift/reconcile", operator).statusCode()).isEqualTo(200);
            eventually().until(() -> db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'STOPPED'") == 1);
        } finally {
            moodle.maintenanceMode(false);
        }
        assertThat(db.value("SELECT note FROM drift_reconcile WHERE state = 'STOPPED'"))
                .isEqualTo("The site is undergoing maintenance and is currently not available");
        assertThat(scene.openFindings()).hasSize(7);
        eventually().until(() -> http.get("/status", operator).body().contains("stopped before the end"));
    }
}
