package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.support.FaultTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Moodle misbehaving as real sites do, injected in the emulator: down for a while, slower than the timeout,
 * HTTP 500 bursts, a revoked token, a create whose answer is lost after Moodle committed it. Each test asserts
 * that every record was synced once: none lost in PostgreSQL, none twice in Moodle.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.pause-probe-period-ms=200",
        // Far above an answer on a busy machine (1 s was not), and below the delay of the slow answer injected.
        "moodle.timeout-ms=5000",
        "retry.maximum-redeliveries=8",
        "retry.initial-delay-ms=50",
        "retry.maximum-delay-ms=400"})
class FaultInjectionTest extends FaultTestSupport {

    /** A course with {@code users} delegates, ids from {@code first}. */
    private void bookings(long first, int users) {
        accessplanit.classroomCourse(first, "Course " + first);
        for (long id = first; id < first + users; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
            accessplanit.delegate(id, id, first, "BOOKED");
        }
    }

    private long deadLetters(long first) {
        return db.count("SELECT count(*) FROM dead_letter WHERE entity_id BETWEEN ? AND ?", first, first + 99);
    }

    private void awaitEnrolled(long first, int users) {
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE' AND entity_id BETWEEN ? AND ?", first, first + users - 1) == users);
    }

    @Test
    void moodleDownForAWhileThenBackLosesNothing() {
        moodle.goDown();
        bookings(100, 3);
        // Claimed while Moodle refuses connections: retried with back-off, not dead-lettered.
        eventually().until(() -> "IN_PROGRESS".equals(accessplanit.syncState("course", 100)));
        moodle.comeUp();

        awaitEnrolled(100, 3);
        assertThat(deadLetters(100)).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aCreateSlowerThanTheTimeoutIsAdoptedNotCreatedTwice() {
        // Moodle creates the users and the course, but answers after the integration gave up waiting.
        moodle.delayNextResponses("core_user_create_users", 1, Duration.ofMillis(6000));
        moodle.delayNextResponses("core_course_create_courses", 1, Duration.ofMillis(6000));
        bookings(200, 2);

        awaitEnrolled(200, 2);
        assertThat(moodle.site().users()).filteredOn(user -> user.username().startsWith("apit.20")).hasSize(2);
        assertThat(moodle.site().courses()).filteredOn(course -> "APIT-C-200".equals(course.idnumber())).hasSize(1);
        assertThat(deadLetters(200)).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void http500BurstsAreRetried() {
        moodle.failNextCalls(4, 500);
        bookings(300, 3);

        awaitEnrolled(300, 3);
        assertThat(deadLetters(300)).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aRevokedTokenPausesSendingAndRestoringItResumes() {
        int createsBefore = moodle.callCount("core_course_create_courses") + moodle.callCount("core_user_create_users");
        moodle.revokeToken();
        bookings(400, 2);

        eventually().until(() -> syncPause.isPaused());
        assertThat(syncPause.reason()).contains("token");
        // Nothing is dead-lettered or marked done for it: the records wait.
        assertThat(deadLetters(400)).isZero();
        assertThat(accessplanit.courseMoodleId(400)).isNull();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE state IN ('DONE', 'FAILED')"
                + " AND entity_id BETWEEN 400 AND 499")).isZero();
        int createsWhilePaused = moodle.callCount("core_course_create_courses")
                + moodle.callCount("core_user_create_users") - createsBefore;

        moodle.restoreToken();

        awaitEnrolled(400, 2);
        assertThat(syncPause.isRunning()).isTrue();
        // Look-ups come first, so the refusal pauses sending before any create is sent.
        assertThat(createsWhilePaused).as("creates sent while the token was revoked").isZero();
        assertThat(deadLetters(400)).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aCreateWhoseAnswerIsLostAfterMoodleCommittedIsAdopted() {
        moodle.loseNextResponses("core_course_create_courses", 1);
        moodle.loseNextResponses("core_user_create_users", 1);
        moodle.loseNextResponses("enrol_manual_enrol_users", 1);
        bookings(500, 3);

        awaitEnrolled(500, 3);
        assertThat(moodle.site().courses()).filteredOn(course -> "APIT-C-500".equals(course.idnumber())).hasSize(1);
        assertThat(moodle.site().users()).filteredOn(user -> user.username().startsWith("apit.50")).hasSize(3);
        assertThat(deadLetters(500)).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void moodleDownForLongerThanTheRetriesPausesAndDeadLettersNothing() {
        moodle.goDown();
        bookings(600, 1);

        eventually().until(() -> syncPause.isPaused());
        assertThat(syncPause.reason()).doesNotContain(TOKEN);
        // Released, not failed: the records wait for Moodle.
        assertThat(deadLetters(600)).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE state IN ('DONE', 'FAILED')"
                + " AND entity_id BETWEEN 600 AND 699")).isZero();
        moodle.comeUp();

        awaitEnrolled(600, 1);
        assertThat(deadLetters(600)).isZero();
        assertNothingLostAndNothingTwice();
    }
}
