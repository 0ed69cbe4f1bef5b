package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several instances on one database, and an instance killed in the middle of a batch: no record is sent twice
 * by two instances, none is lost, and what a killed instance left half done is finished by the next one.
 */
class SeveralInstancesTest extends SyncTestSupport {

    private static final Map<String, String> SETTINGS = Map.of(
            "sync.poll-period-ms", "100",
            "sync.page-size", "4",
            "sync.user-batch-size", "2",
            "sync.enrolment-batch-size", "3",
            // A killed instance is found by its stopped heartbeat, as in production; the lease stays long, as a
            // 2 s lease let a busy machine's slow (live) batch be claimed again by the other instance.
            "sync.heartbeat-period-ms", "500",
            "sync.instance-timeout-ms", "5000",
            "camel.main.shutdown-timeout", "1");

    @AfterEach
    void healMoodle() {
        moodle.setLatencyModel(LatencyModel.NONE);
    }

    private static void bookings(Accessplanit accessplanit, long first, int users) {
        accessplanit.classroomCourse(first, "Course " + first);
        accessplanit.classroomCourse(first + 1, "Course " + (first + 1));
        for (long id = first; id < first + users; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
            accessplanit.delegate(id, id, first + (id % 2), "BOOKED");
        }
    }

    private static long enrolled(long first, int users) {
        return db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'"
                + " AND entity_id BETWEEN ? AND ?", first, first + users - 1);
    }

    /** How often each value of the matching fields was sent in calls of the function. */
    private static Map<String, Long> sent(int fromCall, String wsfunction, String fieldSuffix) {
        List<RecordedCall> calls = moodle.calls();
        return calls.subList(fromCall, calls.size()).stream().filter(call -> call.wsfunction().equals(wsfunction))
                .flatMap(call -> call.params().stream())
                .filter(param -> param.getKey().endsWith(fieldSuffix))
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()));
    }

    private static Map<String, Long> enrolmentsSent(int fromCall) {
        List<RecordedCall> calls = moodle.calls();
        return calls.subList(fromCall, calls.size()).stream().filter(call -> call.wsfunction().equals("enrol_manual_enrol_users"))
                .flatMap(SeveralInstancesTest::enrolmentsOf)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static java.util.stream.Stream<String> enrolmentsOf(RecordedCall call) {
        return java.util.stream.IntStream.range(0, 1000)
                .takeWhile(i -> call.param("enrolments[" + i + "][userid]") != null)
                .mapToObj(i -> call.param("enrolments[" + i + "][userid]") + "/" + call.param("enrolments[" + i + "][courseid]"));
    }

    @Test
    void twoInstancesNeverSendTheSameRecordTwice() throws Exception {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofMillis(2)));
        Accessplanit accessplanit = new Accessplanit(db);
        int fromCall = moodle.calls().size();

        try (Instance a = Instance.start("instance-a", SETTINGS); Instance b = Instance.start("instance-b", SETTINGS)) {
            bookings(accessplanit, 100, 40);
            eventually().until(() -> enrolled(100, 40) == 40);
        }

        assertThat(sent(fromCall, "core_user_create_users", "[username]")).hasSize(40).allSatisfy((user, times) ->
                assertThat(times).as(user).isEqualTo(1));
        assertThat(sent(fromCall, "core_course_create_courses", "[idnumber]")).hasSize(2).allSatisfy((course, times) ->
                assertThat(times).as(course).isEqualTo(1));
        List<Long> courses = List.of(accessplanit.courseMoodleId(100), accessplanit.courseMoodleId(101));
        Map<String, Long> enrolments = enrolmentsSent(fromCall).entrySet().stream()
                .filter(enrolment -> courses.contains(Long.parseLong(enrolment.getKey().split("/")[1])))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(enrolments).hasSize(40).allSatisfy((enrolment, times) ->
                assertThat(times).as(enrolment).isEqualTo(1));
        assertThat(db.rows("SELECT DISTINCT claimed_by FROM sync_state WHERE entity_type = 'user'"
                + " AND entity_id BETWEEN 100 AND 139"))
                .as("both instances took a share").hasSize(2);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void twoInstancesNeverSuspendTheSameEnrolmentTwice() throws Exception {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofMillis(2)));
        Accessplanit accessplanit = new Accessplanit(db);

        try (Instance a = Instance.start("instance-a", SETTINGS); Instance b = Instance.start("instance-b", SETTINGS)) {
            bookings(accessplanit, 300, 30);
            eventually().until(() -> enrolled(300, 30) == 30);
            int fromCall = moodle.calls().size();
            db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id BETWEEN 300 AND 329");
            eventually().until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'SUSPENDED'"
                    + " AND delegate_id BETWEEN 300 AND 329") == 30);
            Thread.sleep(1000); // more polls of both instances

            Map<String, Long> suspended = enrolmentsSent(fromCall);
            assertThat(suspended).hasSize(30).allSatisfy((enrolment, times) ->
                    assertThat(times).as(enrolment).isEqualTo(1));
        }
        assertThat(moodle.site().enrolments().stream().filter(e -> e.suspended())).hasSize(30);
        assertThat(db.rows("SELECT DISTINCT claimed_by FROM sync_state WHERE entity_type = 'cancellation'"))
                .as("both instances took a share").hasSize(2);
        assertNothingLostAndNothingTwice();
    }

    @Test
    void anInstanceKilledMidBatchIsTakenOverWithoutCreatingAnythingTwice() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        // Moodle creates the users, but its answers come after the first instance was killed.
        moodle.delayNextResponses("core_user_create_users", 100, Duration.ofSeconds(3));

        Process first = Instance.startProcess("first", SETTINGS);
        try {
            eventually().until(() -> db.count("SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name = 'delegates'") == 1);
            bookings(accessplanit, 200, 6);
            eventually().until(() -> moodle.site().userByUsername("apit.200").isPresent());
        } finally {
            first.destroyForcibly().waitFor();
            moodle.delayNextResponses("core_user_create_users", 0, Duration.ZERO);
        }
        assertThat(accessplanit.userMoodleId(200)).as("the id never came back to the killed instance").isNull();
        assertThat(accessplanit.syncState("user", 200)).as("left claimed by the killed instance").isEqualTo("IN_PROGRESS");

        try (Instance second = Instance.start("second", SETTINGS)) {
            eventually().until(() -> enrolled(200, 6) == 6);
        }

        List<String> usernames = moodle.site().users().stream().map(user -> user.username())
                .filter(name -> name.startsWith("apit.20")).toList();
        assertThat(usernames).hasSize(6).doesNotHaveDuplicates();
        assertThat(accessplanit.userMoodleId(200)).isEqualTo(moodle.site().userByUsername("apit.200").orElseThrow().id());
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id BETWEEN 200 AND 299")).isZero();
        assertNothingLostAndNothingTwice();
    }
}
