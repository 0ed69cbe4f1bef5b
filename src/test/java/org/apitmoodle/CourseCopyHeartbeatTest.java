package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy that takes Moodle far longer than sync.instance-timeout-ms keeps its claim the whole time: the instance's
 * heartbeat holds it (the rule live_claim, which another instance's claim reads), so no other instance takes the date
 * over and copies it again.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "grades.enabled=false",
        "ops.moodle-check-period-ms=600000",
        "sync.heartbeat-period-ms=500",
        "sync.instance-timeout-ms=2000",
        "courses.copy-timeout-ms=60000"})
class CourseCopyHeartbeatTest extends SyncTestSupport {

    @AfterEach
    void quickMoodle() {
        moodle.setLatencyModel(LatencyModel.NONE);
    }

    @Test
    void aLongCopyKeepsItsClaimAlive() {
        // Six seconds of restore: three times the instance timeout.
        moodle.setLatencyModel(LatencyModel.NONE.withCopies(Duration.ofSeconds(6), Duration.ZERO));
        MoodleSite site = moodle.site();
        long template = site.addCourse("TEMPLATE-1", "Fire Safety (template)", "", CATEGORY).id();
        site.addActivity(template, 1, "quiz", "Assessment", "");
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.template(1, "<p>Aims</p>", template);
        accessplanit.course(1, 1, "Fire Safety, May", "CLASSROOM", OffsetDateTime.parse("2027-05-10T09:00:00Z"),
                OffsetDateTime.parse("2027-05-10T17:00:00Z"), true, null);

        eventually().until(() -> site.courseByShortname("APIT-1").isPresent());
        // While Moodle restores the copy: the claim is held, every time another instance would look.
        List<Long> held = new ArrayList<>();
        eventually().pollInterval(Duration.ofMillis(250)).until(() -> {
            // The claim's state and whether it holds, read at one moment (the copy may end between two reads).
            Map<String, Object> claim = db.rows("SELECT s.state, (SELECT count(*) FROM live_claim l"
                    + " WHERE l.entity_type = s.entity_type AND l.entity_id = s.entity_id) AS live FROM sync_state s"
                    + " WHERE s.entity_type = 'course-copy' AND s.entity_id = 1").get(0);
            if (!"IN_PROGRESS".equals(claim.get("state"))) {
                return true;
            }
            held.add(((Number) claim.get("live")).longValue());
            return false;
        });
        eventually().until(() -> "DONE".equals(accessplanit.syncState("copied-course", 1)));

        assertThat(held).as("samples while the copy ran").hasSizeGreaterThanOrEqualTo(8).containsOnly(1L);
        assertThat(moodle.callCount("core_course_duplicate_course")).isEqualTo(1);
        assertThat(site.courseById(accessplanit.courseMoodleId(1)).orElseThrow().idnumber()).isEqualTo("APIT-C-1");
        assertThat(site.activities(accessplanit.courseMoodleId(1))).hasSize(1);
        assertNothingLostAndNothingTwice();
    }
}
