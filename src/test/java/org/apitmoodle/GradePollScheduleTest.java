package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** The grade poll runs on its Quartz schedule, from the clustered job store in the accessplanit database. */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.cron=0/1 * * * * ?",
        "course-dates.enabled=false"})
class GradePollScheduleTest extends SyncTestSupport {

    @Test
    void scoresArriveOnTheClusteredQuartzSchedule() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.user(10, "Alice", "Anderson", "alice@example.com");
        accessplanit.delegate(10, 10, 10, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 10)));

        moodle.site().setGrade(accessplanit.courseMoodleId(10), accessplanit.userMoodleId(10), 72.5);

        eventually().until(() -> new BigDecimal("72.50").equals(db.value("SELECT score FROM delegates WHERE id = 10")));
        // (The reconcile's trigger, drift.cron, is beside it in the same table.)
        assertThat(db.value("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name LIKE '%grades%'"))
                .isEqualTo("0/1 * * * * ?");
        // Only a clustered job store checks in: this instance is in the cluster's table.
        assertThat(db.count("SELECT count(*) FROM qrtz_scheduler_state")).isEqualTo(1);
    }
}
