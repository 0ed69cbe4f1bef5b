package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What makes a first sync of thousands of records fast without hammering Moodle: records go in batches, a batch
 * Moodle refuses is split in halves until the bad record stands alone, and no more than
 * sync.moodle-calls-in-flight calls are in flight at once. (The figures are the benchmark's, see README.)
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.user-batch-size=8",
        "sync.moodle-calls-in-flight=3",
        "sync.page-size=24"})
class ThroughputTest extends SyncTestSupport {

    @AfterEach
    void healMoodle() {
        moodle.setLatencyModel(LatencyModel.NONE);
    }

    /** Users {@code first}..{@code last} booked on one course, all becoming waiting records at the same moment. */
    private static void bookings(long first, long last, String... usersChanged) {
        new Accessplanit(db).classroomCourse(first, "Course " + first);
        db.update("INSERT INTO users (id, forenames, surname, email)"
                + " SELECT g, 'User', 'Number ' || g, 'user' || g || '@example.com' FROM generate_series(?, ?) g",
                first, last);
        for (String change : usersChanged) {
            db.update(change);
        }
        db.update("INSERT INTO delegates (id, user_id, course_id) SELECT g, g, ? FROM generate_series(?, ?) g",
                first, first, last);
    }

    private static long enrolled(long first, long last) {
        return db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'"
                + " AND entity_id BETWEEN ? AND ?", first, last);
    }

    @Test
    void recordsGoToMoodleInBatches() {
        int createCalls = moodle.callCount("core_user_create_users");
        bookings(100, 119); // 20 users: batches of 8, 8 and 4

        eventually().until(() -> enrolled(100, 119) == 20);

        assertThat(moodle.callCount("core_user_create_users") - createCalls).isEqualTo(3);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aBatchMoodleRefusesIsSplitInHalvesUntilTheBadRecordStandsAlone() {
        // Moodle refuses any create that holds user 205 as a whole (as it does for a value it will not take).
        moodle.refuseCalls("core_user_create_users", "user205@example.com", "invalid_parameter_exception",
                "invalidparameter", "Invalid parameter value detected");
        int createCalls = moodle.callCount("core_user_create_users");
        bookings(200, 207); // one batch of 8

        eventually().until(() -> enrolled(200, 207) == 7
                && "FAILED".equals(new Accessplanit(db).syncState("user", 205)));

        // 8 refused; 4 taken and 4 refused; 2 taken and 2 refused; 1 taken and 1 refused: 7 calls for 8 users.
        assertThat(moodle.callCount("core_user_create_users") - createCalls).isEqualTo(7);
        assertThat(db.value("SELECT error_code FROM dead_letter WHERE entity_type = 'user' AND entity_id = 205"))
                .isEqualTo("invalidparameter");
        moodle.clearRefusals();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aRecordRefusedBeforeSendingIsTakenOutOfItsBatchAtNoExtraCall() {
        int createCalls = moodle.callCount("core_user_create_users");
        bookings(400, 407, "UPDATE users SET email = 'no-at-sign.example.com' WHERE id = 403",
                "UPDATE users SET surname = '' WHERE id = 406");

        eventually().until(() -> enrolled(400, 407) == 6);

        // Users 403 and 406 never leave: the 6 others go in one call.
        assertThat(moodle.callCount("core_user_create_users") - createCalls).isEqualTo(1);
        assertThat(db.rows("SELECT entity_id, error_code FROM dead_letter WHERE entity_id BETWEEN 400 AND 407"
                + " ORDER BY entity_id")).containsExactly(Map.of("entity_id", 403L, "error_code", "invalidemail"),
                Map.of("entity_id", 406L, "error_code", "nosurname"));
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aPollClaimsItsNextPageOnlyOnceThePreviousPageIsDone() {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(30), Duration.ofMillis(10), Duration.ZERO,
                Duration.ZERO));
        bookings(500, 539); // 40 users, pages of 24 (sync.page-size)

        java.util.concurrent.atomic.AtomicLong mostClaimedAtOnce = new java.util.concurrent.atomic.AtomicLong();
        eventually().pollInterval(Duration.ofMillis(20)).until(() -> {
            mostClaimedAtOnce.accumulateAndGet(db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'user'"
                    + " AND state = 'IN_PROGRESS' AND entity_id BETWEEN 500 AND 539"), Math::max);
            return enrolled(500, 539) == 40;
        });

        assertThat(mostClaimedAtOnce.get()).as("users claimed at once").isBetween(1L, 24L);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void noMoreThanTheConfiguredCallsAreInFlightAtOnce() {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ZERO,
                Duration.ZERO));
        bookings(300, 363); // 8 batches of users, side by side

        eventually().until(() -> enrolled(300, 363) == 64);

        assertThat(moodle.mostCallsInFlight()).as("most Moodle calls in flight").isEqualTo(3);
        assertNothingLostAndNothingTwice();
    }
}
