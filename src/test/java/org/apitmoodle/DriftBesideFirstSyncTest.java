package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A reconcile beside a first sync (Moodle as slow as an 8-core site): reconcile after reconcile runs while courses,
 * users and enrolments are being made, and none reads what the sync is doing as drift; every booking is enrolled
 * once, and a last reconcile after the sync finds nothing. Here the reconcile does not give way to the sync
 * (drift.yield-max-ms=0), so it compares while the sync makes what it compares; how little it slows a sync when it
 * does give way is the benchmark's to show.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "ops.refresh-period-ms=500", "drift.enabled=false", "drift.page-size=25", "drift.users-per-call=10",
        "sync.page-size=60", "drift.yield-max-ms=0"})
class DriftBesideFirstSyncTest extends SyncTestSupport {

    private static final int COURSES = 12;
    private static final int LEARNERS = 15;

    @BeanInject
    CamelContext context;

    @Test
    void noReconcileReadsTheSyncAsDrift() throws Exception {
        moodle.setLatencyModel(LatencyModel.EIGHT_CORES);
        Accessplanit accessplanit = new Accessplanit(db);
        for (int c = 1; c <= COURSES; c++) {
            accessplanit.classroomCourse(c, "Course " + c);
        }
        int bookings = 0;
        for (int u = 1; u <= LEARNERS * 4; u++) {
            accessplanit.user(u, "Learner", "Number " + u, "learner" + u + "@example.org");
        }
        for (int c = 1; c <= COURSES; c++) {
            for (int l = 0; l < LEARNERS; l++) {
                int user = 1 + (c * 7 + l * 3) % (LEARNERS * 4);
                if (db.count("SELECT count(*) FROM delegates WHERE user_id = ? AND course_id = ?", user, c) == 0) {
                    accessplanit.delegate(++bookings, user, c, "BOOKED");
                }
            }
        }
        int total = bookings;

        // Reconciles one after another for as long as the first sync runs; each notes how far the sync was when it
        // began and when it ended.
        ProducerTemplate producer = context.createProducerTemplate();
        AtomicBoolean syncing = new AtomicBoolean(true);
        List<long[]> enrolledAroundEachReconcile = Collections.synchronizedList(new ArrayList<>());
        Thread reconciles = new Thread(() -> {
            while (syncing.get()) {
                long before = db.count("SELECT count(*) FROM moodle_enrolment");
                producer.sendBody("direct:reconcile-drift", null);
                enrolledAroundEachReconcile.add(new long[] {before, db.count("SELECT count(*) FROM moodle_enrolment")});
            }
        });
        reconciles.start();
        eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE'") == total);
        syncing.set(false);
        reconciles.join(120_000);

        // Bookings were enrolled while a reconcile ran: it compared while the sync made what it compares.
        assertThat(enrolledAroundEachReconcile).as("a reconcile ran while bookings were being enrolled")
                .anyMatch(around -> around[0] < around[1]);
        assertThat(db.count("SELECT count(*) FROM drift_reconcile WHERE state = 'DONE'"))
                .isEqualTo(enrolledAroundEachReconcile.size());
        assertThat(db.rows("SELECT kind, subject FROM drift_finding")).as("no drift read into the sync").isEmpty();

        producer.sendBody("direct:reconcile-drift", null);
        assertThat(db.count("SELECT count(*) FROM drift_finding")).isZero();
        assertThat(db.value("SELECT enrolments FROM drift_reconcile ORDER BY id DESC LIMIT 1")).isEqualTo(total);
        assertNothingLostAndNothingTwice();
    }
}
