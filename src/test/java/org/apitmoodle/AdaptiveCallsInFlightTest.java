package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.support.ModelledMoodle;
import org.junit.jupiter.api.Test;

/**
 * The adaptive calls in flight against the emulator's capacity model, on modelled answer times: on a large Moodle the
 * limit rises to the maximum; the same Moodle made small (one core, two PHP workers), calls queue in it and the limit
 * falls, without Moodle ever turning a call away; large again, it rises again.
 *
 * <p>The answer times are the model's, on a clock the test moves (see {@link ModelledMoodle}), not this machine's: a
 * loaded machine slows the emulator's real answers and once kept the limit at 4 on the large Moodle. The same claims
 * against the running application and emulator, as far as they hold on any machine, are in
 * {@link AdaptiveCallsInFlightEndToEndTest}; what the limit does in real time is the benchmark's.
 */
class AdaptiveCallsInFlightTest {

    private static final LatencyModel LARGE = LatencyModel.calibrated("32 cores, 64 workers", 32, 64);
    private static final LatencyModel SMALL = LatencyModel.calibrated("1 core, 2 workers", 1, 2);
    /** As the application test ran it: sync.moodle-calls-in-flight=8. */
    private static final int MAXIMUM = 8;
    /** The calls of 400 users in batches of 5 (look-up, create, enrol), and of 60. */
    private static final int CALLS_FOR_400_USERS = 400 / 5 * 3;
    private static final int CALLS_FOR_60_USERS = 60 / 5 * 3;

    @Test
    void theLimitRisesOnALargeMoodleFallsWhenItIsMadeSmallAndRisesAgain() {
        ModelledMoodle moodle = new ModelledMoodle(LARGE, ModelledMoodle.USER_BATCH_OF_5);
        CallsInFlight limiter = new CallsInFlight("sync", MAXIMUM, true, moodle::nanoTime);

        moodle.answer(limiter, CALLS_FOR_400_USERS);
        int large = limiter.limit();
        // From 1 at start, while answers come as fast as alone: 32 cores never make 8 calls queue.
        assertThat(large).as("on a large Moodle").isEqualTo(MAXIMUM);

        moodle.become(SMALL);
        moodle.answer(limiter, CALLS_FOR_60_USERS);
        int small = limiter.limit();
        // One core: one call keeps it busy, the others only wait in Moodle; the limit keeps a few waiting (at most 4,
        // see CallsInFlight), no more.
        assertThat(small).as("made small, after %d on the large one", large).isBetween(1, 5);
        assertThat(moodle.mostWaitingForAWorker()).as("calls queued for one of 2 workers").isPositive();

        moodle.become(LARGE);
        moodle.answer(limiter, CALLS_FOR_400_USERS);
        assertThat(limiter.limit()).as("large again, after %d on the small one", small).isEqualTo(MAXIMUM);

        assertThat(moodle.turnedAway()).as("calls Moodle turned away (503)").isZero();
        assertThat(limiter.overloads()).isZero();
    }

    @Test
    void onASmallMoodleFromTheStartTheLimitStaysNearWhatItServes() {
        ModelledMoodle moodle = new ModelledMoodle(SMALL, ModelledMoodle.USER_BATCH_OF_5);
        CallsInFlight limiter = new CallsInFlight("sync", MAXIMUM, true, moodle::nanoTime);

        moodle.answer(limiter, CALLS_FOR_400_USERS);

        // Learnt on the small Moodle itself, the yardsticks are the calls alone: the limit never went far past a
        // few waiting in Moodle.
        assertThat(limiter.highestLimit()).as("highest").isBetween(2, 6);
        assertThat(limiter.limit()).isBetween(1, 5);
        assertThat(moodle.turnedAway()).isZero();
    }

    @Test
    void aFixedLimitKeepsTheMaximumInFlightOnASmallMoodle() {
        // What the adaptive limit spares Moodle: a fixed one keeps every call it may in flight however they queue.
        ModelledMoodle moodle = new ModelledMoodle(SMALL, ModelledMoodle.USER_BATCH_OF_5);
        CallsInFlight limiter = new CallsInFlight("sync", MAXIMUM, false, moodle::nanoTime);

        moodle.answer(limiter, CALLS_FOR_60_USERS);

        assertThat(limiter.limit()).isEqualTo(MAXIMUM);
        assertThat(moodle.mostWaitingForAWorker()).as("queued for a worker").isEqualTo(MAXIMUM - SMALL.workers());
    }
}
