package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** /observe/metrics in Prometheus format: the integration's own metrics, by the names the README gives. */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200", "ops.refresh-period-ms=200", "retry.maximum-redeliveries=0"})
class MetricsTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void syncedFailedWaitingAndMoodleCallsAreMeasured() {
        Accessplanit accessplanit = new Accessplanit(db);
        Observe observe = new Observe(managementPort);
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(10, "Alice", "Anderson", "alice@example.com");
        accessplanit.user(11, "Judy", "Jones", "judy@example");   // Moodle rejects the address
        accessplanit.delegate(10, 10, 10, "BOOKED");
        accessplanit.delegate(11, 11, 10, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 10))
                && "FAILED".equals(accessplanit.syncState("user", 11)));
        eventually().until(() -> observe.metrics().contains("apit_dead_letter_open{entity=\"user\"} 1.0"));

        String metrics = observe.metrics();
        assertThat(metrics)
                .contains("apit_sync_records_synced_total{entity=\"course\"} 1.0")
                .contains("apit_sync_records_synced_total{entity=\"user\"} 1.0")
                .contains("apit_sync_records_synced_total{entity=\"enrolment\"} 1.0")
                .contains("apit_sync_records_failed_total{entity=\"user\",error_class=\"bad-data\"} 1.0")
                .contains("apit_dead_letter_open{entity=\"course\"} 0.0")
                .contains("apit_moodle_call_seconds_count{function=\"core_course_create_courses\"} 1")
                .contains("apit_moodle_call_seconds_sum{function=\"core_user_create_users\"}")
                .contains("apit_moodle_call_seconds_max{function=\"enrol_manual_enrol_users\"}")
                .contains("apit_sync_backlog{entity=\"course\"} 0.0")
                .contains("apit_sync_backlog{entity=\"user\"}")
                .contains("apit_sync_backlog{entity=\"enrolment\"}")
                .contains("apit_sync_last_poll_age_seconds{route=\"poll-course\"}")
                .contains("apit_sync_last_poll_age_seconds{route=\"poll-user\"}")
                .contains("apit_sync_last_poll_age_seconds{route=\"poll-enrolment\"}")
                .doesNotContain("apit_sync_last_poll_age_seconds{route=\"poll-course\"} NaN")
                .doesNotContain(TOKEN);
    }

    @Test
    void theBacklogCountsRecordsWaitingForMoodle() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        Observe observe = new Observe(managementPort);
        eventually().until(() -> observe.metrics().contains("apit_sync_backlog{entity=\"course\"} 0.0"));
        context.getRouteController().stopRoute("poll-course");
        accessplanit.classroomCourse(20, "Waiting 1");
        accessplanit.classroomCourse(21, "Waiting 2");

        eventually().until(() -> observe.metrics().contains("apit_sync_backlog{entity=\"course\"} 2.0"));

        context.getRouteController().startRoute("poll-course");
        eventually().until(() -> observe.metrics().contains("apit_sync_backlog{entity=\"course\"} 0.0"));
        assertThat(accessplanit.courseMoodleId(20)).isNotNull();
    }
}
