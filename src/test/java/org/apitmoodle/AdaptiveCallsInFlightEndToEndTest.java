package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
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
 * The adaptive calls in flight wired into the application, against the emulator made small (one core, two PHP
 * workers, where calls queue): every record synced once, Moodle turns no call away, and the limit learnt from the
 * real answers (the threads the batches go on following it). Only what holds on any machine is asserted: how far the limit rises or falls depends on this
 * machine's answer times, so those claims are tested on modelled times ({@link AdaptiveCallsInFlightTest}) and
 * measured in real time by the benchmark.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=100",
        "sync.moodle-calls-in-flight=8",
        "sync.user-batch-size=5",
        "sync.enrolment-batch-size=50",
        "grades.enabled=false"})
class AdaptiveCallsInFlightEndToEndTest extends SyncTestSupport {

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

    @Test
    void onASmallMoodleEveryRecordGoesOnceAndNoCallIsTurnedAway() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(1, "Fire Safety");
        moodle.setLatencyModel(SMALL);

        for (long id = 1000; id < 1030; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.org");
            accessplanit.delegate(id, id, 1, "BOOKED");
        }
        // About 3 s of modelled CPU on one core (6 user batches: enough for a second answer of each kind); a busy
        // machine takes longer.
        eventually().atMost(Duration.ofMinutes(3)).until(() -> db.count("SELECT count(*) FROM sync_state"
                + " WHERE entity_type = 'enrolment' AND state = 'DONE' AND entity_id BETWEEN 1000 AND 1029") == 30);

        // 2 workers and a backlog of 8 hold the 8 calls the limit ever lets go: the limiter never tells Moodle
        // more than it queues, however slow this machine.
        assertThat(moodle.callsTurnedAway()).as("calls Moodle turned away (503)").isZero();
        assertThat(limit().overloads()).as("answers that said Moodle is overloaded").isZero();
        // The route gives each answer's time to the limit: from 1 it rises at least once, as an answer timed with
        // one or two in flight cannot show more than two waiting (on any machine). Every call was counted back.
        assertThat(limit().highestLimit()).as("the highest limit").isBetween(2, 8);
        assertThat(limit().inFlight()).as("calls still counted in flight").isZero();
        // The limit is the one thing that holds calls back: the threads the batches go on are as many as it says.
        ThreadPoolExecutor threads = context.getRegistry().lookupByNameAndType("moodleCalls", ThreadPoolExecutor.class);
        assertThat(threads.getMaximumPoolSize()).as("threads the batches go on").isEqualTo(limit().limit());
        // Batches beyond them wait in the queue, however many: none is ever run by the thread that split them.
        assertThat(threads.getQueue().remainingCapacity()).as("room in the queue").isEqualTo(Integer.MAX_VALUE);
        assertNothingLostAndNothingTwice();
        System.out.printf("LIMIT small %d (highest %d)%n", limit().limit(), limit().highestLimit());
    }
}
