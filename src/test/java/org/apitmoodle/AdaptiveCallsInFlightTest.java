package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.MoodleCallShares;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive calls in flight against the emulator, which spends CPU as a Moodle does: on a large Moodle the limit
 * rises to the maximum; the same Moodle made small (one core, two PHP workers), calls queue in it and the limit falls,
 * without Moodle ever turning a call away; large again, it rises again.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=100",
        "sync.moodle-calls-in-flight=8",
        "sync.user-batch-size=5",
        "sync.enrolment-batch-size=50",
        "grades.enabled=false"})
class AdaptiveCallsInFlightTest extends SyncTestSupport {

    private static final LatencyModel LARGE = LatencyModel.calibrated("32 cores, 64 workers", 32, 64);
    private static final LatencyModel SMALL = LatencyModel.calibrated("1 core, 2 workers", 1, 2);

    @BeanInject
    CamelContext context;

    @AfterEach
    void noModel() {
        moodle.setLatencyModel(LatencyModel.NONE);
    }

    private CallsInFlight limit() {
        return context.getRegistry().lookupByNameAndType("moodleCallShares", MoodleCallShares.class).sync();
    }

    /** {@code count} new users booked on course {@code course}, ids from {@code first}; waits until all are enrolled. */
    private void syncUsers(Accessplanit accessplanit, long course, long first, int count) {
        for (long id = first; id < first + count; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.org");
            accessplanit.delegate(id, id, course, "BOOKED");
        }
        eventually().atMost(Duration.ofSeconds(90)).until(() -> db.count("SELECT count(*) FROM sync_state"
                + " WHERE entity_type = 'enrolment' AND state = 'DONE' AND entity_id BETWEEN ? AND ?",
                first, first + count - 1) == count);
    }

    @Test
    void theLimitRisesOnALargeMoodleFallsWhenItIsMadeSmallAndRisesAgain() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(1, "Fire Safety");
        moodle.setLatencyModel(LARGE);

        syncUsers(accessplanit, 1, 1000, 400);
        int large = limit().limit();
        // From 1 at start, while answers come as fast as alone.
        assertThat(limit().highestLimit()).as("on a large Moodle").isGreaterThanOrEqualTo(6);

        moodle.setLatencyModel(SMALL);
        syncUsers(accessplanit, 1, 2000, 60);
        int small = limit().limit();
        // One core: one call keeps it busy, the others only wait in Moodle; the limit keeps a few waiting (at most 4,
        // see CallsInFlight), no more.
        assertThat(small).as("made small, after %d on the large one", large).isLessThanOrEqualTo(5)
                .isLessThan(limit().highestLimit());

        moodle.setLatencyModel(LARGE);
        syncUsers(accessplanit, 1, 3000, 400);
        assertThat(limit().limit()).as("large again, after %d on the small one", small).isGreaterThan(small);

        assertThat(moodle.callsTurnedAway()).as("calls Moodle turned away (503)").isZero();
        assertNothingLostAndNothingTwice();
        System.out.printf("LIMIT large %d, small %d, large again %d (highest %d)%n", large, small, limit().limit(),
                limit().highestLimit());
    }
}
