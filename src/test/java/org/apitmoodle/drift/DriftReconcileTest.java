package org.apitmoodle.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apitmoodle.Settings;
import org.apitmoodle.moodle.MoodleCall;
import org.junit.jupiter.api.Test;

/** The reconcile's comparisons on Moodle's recorded answers, without Camel: what is drift and what is not. */
class DriftReconcileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DriftSettings settings(int pageSize, int usersPerCall) {
        Map<DriftKind, Boolean> repair = new HashMap<>();
        for (DriftKind kind : DriftKind.values()) {
            repair.put(kind, kind.repairedByDefault());
        }
        return new DriftSettings(true, "0 30 2 * * ?", repair, 50, pageSize, usersPerCall, "30 minutes", 200, 1000);
    }

    private static Map<String, Object> account(long userId, long moodleId, String email) {
        Map<String, Object> row = new HashMap<>();
        row.put("user_id", userId);
        row.put("moodle_user_id", moodleId);
        row.put("forenames", "Fiona");
        row.put("surname", "Field");
        row.put("email", email);
        return row;
    }

    @Test
    void aDeletedAccountIsKnownByItsUsernameThoughMoodleReturnsItLikeAnActiveOne() throws Exception {
        DriftReconcile drift = new DriftReconcile(settings(100, 500), "apit.", "id", "APIT-C-");
        DriftReconcile.Run run = drift.begin(List.of(Map.of("id", 1L)));
        MoodleCall call = drift.accountsCall(run, List.of(account(1, 4, "apit.f1@example.com"),
                account(2, 5, "f2@example.com"), account(3, 6, "f3@example.com"), account(7, 9, "gone@example.com")));
        assertThat(call.parameters()).containsEntry("field", "id").containsEntry("values", List.of(4L, 5L, 6L, 9L));
        // 323: the deleted account by id; apit.2 as made; a suspended apit.3; nothing under id 9.
        JsonNode answer = JSON.readTree("[{\"id\":4,\"username\":\"apit.f1@example.com.1796571467\","
                + "\"fullname\":\"Fiona Field\",\"email\":\"31883e6e1e4d8f94ef994ff0a88e9c53\",\"suspended\":false},"
                + "{\"id\":5,\"username\":\"apit.2\",\"idnumber\":\"2\",\"suspended\":false},"
                + "{\"id\":6,\"username\":\"apit.3\",\"idnumber\":\"3\",\"suspended\":true}]");
        List<Map<String, Object>> findings = drift.accountsRead(run, answer);
        assertThat(findings).extracting(f -> f.get("kind") + " " + f.get("user_id")).containsExactly(
                "account-deleted 1", "account-suspended 3", "account-deleted 7");
        assertThat(findings).allSatisfy(f -> assertThat(f.get("action")).isEqualTo("REPORTED"));
        assertThat(run.isMoreAccounts()).as("a page shorter than drift.page-size is the last").isFalse();
    }

    @Test
    void anotherPersonsAccountUnderTheIdIsReplacedButOurOwnWithAChangedEmailIsNot() throws Exception {
        DriftReconcile drift = new DriftReconcile(settings(100, 500), "apit.", "id", "APIT-C-");
        DriftReconcile.Run run = drift.begin(List.of(Map.of("id", 1L)));
        drift.accountsCall(run, List.of(account(1, 4, "new@example.com"), account(2, 5, "b@example.com")));
        JsonNode answer = JSON.readTree("[{\"id\":4,\"username\":\"apit.1\",\"idnumber\":\"1\"},"
                + "{\"id\":5,\"username\":\"someone.else\",\"fullname\":\"Sam Else\"}]");
        assertThat(drift.accountsRead(run, answer)).singleElement()
                .satisfies(f -> assertThat(f.get("kind")).isEqualTo("account-replaced"));
    }

    @Test
    void enrolmentsArePagedAndOnlyTheRecordIsCompared() throws Exception {
        DriftReconcile drift = new DriftReconcile(settings(100, 2), "apit.", "id", "APIT-C-");
        DriftReconcile.Run run = drift.begin(List.of(Map.of("id", 1L)));
        drift.coursesCall(run, List.of(Map.of("moodle_course_id", 3L, "course_name", "Fire Safety",
                "created_course_id", 10L)));
        drift.coursesRead(run, JSON.readTree("{\"courses\":[{\"id\":3,\"idnumber\":\"APIT-C-10\"}],\"warnings\":[]}"));
        DriftReconcile.CourseRead course = run.getLiveCourses().get(0);
        drift.records(course, List.of(record(1, 41, "ACTIVE", true), record(2, 42, "ACTIVE", true),
                record(3, 43, "SUSPENDED", false), record(4, 44, "ACTIVE", true)));
        // Moodle lists 41, 42, a teacher (99) and 43: two pages of two, then the suspended ones: 42 and 43.
        List<String> asked = new java.util.ArrayList<>();
        for (String page : List.of("[{\"id\":41},{\"id\":42}]", "[{\"id\":99},{\"id\":43}]", "[]",
                "[{\"id\":42},{\"id\":43}]", "[]")) {
            assertThat(course.isMore()).isTrue();
            asked.add(options(drift.enrolledUsersCall(run, course)));
            drift.enrolledUsersRead(course, JSON.readTree(page));
        }
        assertThat(course.isMore()).isFalse();
        assertThat(asked).containsExactly("userfields=id limitfrom=0 limitnumber=2",
                "userfields=id limitfrom=2 limitnumber=2", "userfields=id limitfrom=4 limitnumber=2",
                "userfields=id onlysuspended=1 limitfrom=0 limitnumber=2",
                "userfields=id onlysuspended=1 limitfrom=2 limitnumber=2");
        List<Map<String, Object>> findings = drift.enrolmentFindings(run, course);
        assertThat(findings).extracting(f -> f.get("kind") + " " + f.get("enrolment_id")).containsExactly(
                "enrolment-suspended 2", "enrolment-missing 4");
        assertThat(findings.get(1).get("action")).as("a missing enrolment is repaired by default").isEqualTo("REPAIR");
        assertThat(run.getMoodleCalls()).isEqualTo(6);
    }

    @Test
    void theReconcileGivesWayToTheSyncForAtMostItsLimit() throws Exception {
        AtomicInteger syncInFlight = new AtomicInteger(3);
        AtomicLong clock = new AtomicLong();
        Map<DriftKind, Boolean> repair = Map.of();
        DriftSettings limited = new DriftSettings(true, "0 30 2 * * ?", repair, 50, 100, 500, "30 minutes", 200,
                100);
        DriftReconcile drift = new DriftReconcile(limited, "apit.", "id", "APIT-C-", syncInFlight::get,
                () -> clock.addAndGet(30));
        long started = System.nanoTime();
        drift.yieldToSync();
        assertThat(clock.get()).as("waited while the sync had calls, up to drift.yield-max-ms").isBetween(100L, 160L);
        syncInFlight.set(0);
        clock.set(0);
        drift.yieldToSync();
        assertThat(clock.get()).as("no wait when the sync has no call in flight").isEqualTo(30);
        assertThat(System.nanoTime() - started).isPositive();
    }

    private static Map<String, Object> record(long enrolmentId, long moodleUser, String state, boolean active) {
        Map<String, Object> row = new HashMap<>();
        row.put("enrolment_id", enrolmentId);
        row.put("delegate_id", 100 + enrolmentId);
        row.put("user_id", enrolmentId);
        row.put("moodle_user_id", moodleUser);
        row.put("record_state", state);
        row.put("booking_active", active);
        row.put("forenames", "Learner");
        row.put("surname", "Number " + enrolmentId);
        row.put("email", null);
        row.put("read_at", null);
        return row;
    }

    @SuppressWarnings("unchecked")
    private static String options(MoodleCall call) {
        assertThat(call.function()).isEqualTo("core_enrol_get_enrolled_users");
        assertThat(call.parameters()).containsEntry("courseid", 3L);
        return ((List<Map<String, Object>>) call.parameters().get("options")).stream()
                .map(o -> o.get("name") + "=" + o.get("value")).reduce((a, b) -> a + " " + b).orElse("");
    }
}
