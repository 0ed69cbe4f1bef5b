package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.support.DriftScene;
import org.apitmoodle.support.MoodleEnrolments;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Drift repaired: with drift.&lt;kind&gt; = repair for every kind that can be, one reconcile hands each finding back to
 * the operation that owns it, by changing the integration's record only, and the operations put Moodle right with
 * their own guarantees: Ann enrolled again, Ben re-activated, Cat suspended again, Dan and Fay given new accounts and
 * their enrolments following, the deleted and the replaced course made again, a course restored from a backup found
 * again by its ID number (not made twice). A suspended account is only reported. The next reconcile finds nothing
 * more, and nothing was sent twice or lost.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "ops.refresh-period-ms=200", "drift.enabled=false", "drift.enrolment-missing=repair",
        "drift.enrolment-suspended=repair", "drift.enrolment-reactivated=repair", "drift.account-deleted=repair",
        "drift.account-replaced=repair", "drift.course-deleted=repair", "drift.course-replaced=repair"})
class DriftRepairTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void eachKindIsRepairedThroughItsOperation() {
        DriftScene scene = new DriftScene(db, moodle);
        MoodleEnrolments enrolments = new MoodleEnrolments(moodle);
        // Beside the scene: Jo on Working at Height (14), a course restored from a backup under a new id.
        scene.accessplanit.classroomCourse(14, "Working at Height");
        scene.accessplanit.user(10, "Jo", "Restored", "jo@example.org");
        scene.accessplanit.delegate(110, 10, 14, "BOOKED");
        scene.synced(eventually());
        eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE delegate_id = 110") == 1);
        long workingAtHeight = scene.accessplanit.courseMoodleId(14);
        Map<Long, Long> oldUserIds = Map.of(4L, scene.user(4), 6L, scene.user(6));
        scene.changedInMoodle();
        long restored = moodle.site().restoreCourseAsNew(workingAtHeight).id();
        long coursesBefore = moodle.site().courses().size();

        ProducerTemplate producer = context.createProducerTemplate();
        producer.sendBody("direct:reconcile-drift", null);

        // Repaired findings are closed at once; the suspended account is only reported.
        assertThat(db.rows("SELECT kind, action FROM drift_finding WHERE closed_at IS NULL"))
                .containsExactly(Map.of("kind", "account-suspended", "action", "REPORTED"));
        assertThat(db.rows("SELECT kind FROM drift_finding WHERE action = 'REPAIRED' ORDER BY kind"))
                .extracting(r -> r.get("kind")).containsExactly("account-deleted", "account-replaced",
                        "course-deleted", "course-deleted", "course-replaced", "enrolment-missing",
                        "enrolment-reactivated", "enrolment-suspended");

        // Ann: enrolled again, by the enrolment operation.
        eventually().until(() -> scene.enrolment(scene.user(1), scene.fireSafety) != null);
        assertThat(scene.enrolment(scene.user(1), scene.fireSafety).suspended()).isFalse();
        // Ben: made active again by the re-activation operation.
        eventually().until(() -> !scene.enrolment(scene.user(2), scene.fireSafety).suspended());
        // Cat: her booking is cancelled: suspended again by the cancellation operation.
        eventually().until(() -> scene.enrolment(scene.user(3), scene.fireSafety).suspended());
        // Dan and Fay: a new account each, its id written back, the enrolment following.
        for (long n : List.of(4L, 6L)) {
            eventually().until(() -> scene.accessplanit.userMoodleId(n) != null
                    && !scene.accessplanit.userMoodleId(n).equals(oldUserIds.get(n))
                    && scene.enrolment(scene.user(n), scene.firstAid) != null);
            assertThat(moodle.site().userById(scene.user(n)).orElseThrow().username()).isEqualTo("apit." + n);
        }
        // The deleted and the replaced course: made again under their ID numbers, their learners enrolled there.
        eventually().until(() -> scene.accessplanit.courseMoodleId(12) != null
                && scene.enrolment(scene.user(7), scene.accessplanit.courseMoodleId(12)) != null);
        eventually().until(() -> scene.accessplanit.courseMoodleId(13) != null
                && scene.enrolment(scene.user(8), scene.accessplanit.courseMoodleId(13)) != null);
        assertThat(scene.accessplanit.courseMoodleId(12)).isNotEqualTo(scene.manualHandling);
        assertThat(moodle.site().courseById(scene.accessplanit.courseMoodleId(13))).get()
                .extracting(Course::idnumber).isEqualTo("APIT-C-13");
        // The restored course is found again by its ID number, not made twice; Jo is enrolled there.
        eventually().until(() -> Long.valueOf(restored).equals(scene.accessplanit.courseMoodleId(14))
                && scene.enrolment(scene.user(10), restored) != null);
        assertThat(moodle.site().courses()).filteredOn(c -> c.idnumber().equals("APIT-C-14")).hasSize(1);
        assertThat(moodle.site().courses()).hasSize((int) coursesBefore + 2);
        // The teacher's enrolment and Moodle's own course were left alone.
        assertThat(scene.enrolment(scene.teacher, scene.fireSafety)).isNotNull();
        assertThat(enrolments.sentAny(scene.teacher, scene.fireSafety)).isEmpty();
        scene.untouchedCourseNeverRead();

        // Everything is in step again: the next reconcile finds nothing new.
        eventually().until(() -> db.count("SELECT count(*) FROM waiting WHERE entity_type <> 'grades'") == 0);
        producer.sendBody("direct:reconcile-drift", null);
        assertThat(db.rows("SELECT kind FROM drift_finding WHERE closed_at IS NULL"))
                .containsExactly(Map.of("kind", "account-suspended"));
        assertThat(db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'")).isEqualTo(2);
        assertThat(db.value("SELECT findings FROM drift_reconcile ORDER BY id DESC LIMIT 1")).isEqualTo(1);
        // Ann was enrolled once more, after a look-up; nobody twice.
        assertThat(enrolments.sent("enrol_manual_enrol_users", scene.user(1), scene.fireSafety)).hasSize(2);
        assertThat(enrolments.sent("enrol_manual_enrol_users", scene.user(9), scene.fireSafety)).hasSize(1);
        assertThat(moodle.site().enrolments()).filteredOn(e -> e.courseId() == scene.fireSafety)
                .extracting(Enrolment::userId).doesNotHaveDuplicates();
        assertNothingLostAndNothingTwice();
    }
}
