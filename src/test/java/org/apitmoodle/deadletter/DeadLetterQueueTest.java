package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterQueueTest {

    private final DeadLetterQueue queue = new DeadLetterQueue();

    @Test
    void aFilterDefaultsToOpenEntriesAndAcceptsAnyCase() {
        assertThat(queue.filter(null, " ", null)).containsEntry("state", "OPEN")
                .containsEntry("entity_type", null).containsEntry("error_code", null);
        assertThat(queue.filter("User", "invalidemail", "discarded")).containsEntry("state", "DISCARDED")
                .containsEntry("entity_type", "user").containsEntry("error_code", "invalidemail");
        assertThat(queue.openFilter("course", null)).containsEntry("state", "OPEN");
    }

    @Test
    void anUnknownEntityTypeOrStateIsABadRequest() {
        assertStatus(() -> queue.filter("teacher", null, null), 400);
        assertStatus(() -> queue.filter(null, null, "ALL"), 400);
    }

    @Test
    void anIdThatIsNotANumberNamesNoEntry() {
        assertThat(queue.entryId(" 42 ")).containsEntry("id", 42L);
        assertStatus(() -> queue.entryId("42; DROP TABLE dead_letter"), 404);
        assertStatus(() -> queue.entryId(null), 404);
    }

    @Test
    void discardingNeedsAReason() {
        assertThat(queue.discard("7", "  Duplicate of user 42 ")).containsEntry("id", 7L)
                .containsEntry("reason", "Duplicate of user 42");
        assertStatus(() -> queue.discard("7", null), 400);
        assertStatus(() -> queue.discard("7", "   "), 400);
        assertStatus(() -> queue.discard("7", "x".repeat(DeadLetterQueue.MAX_REASON_LENGTH + 1)), 400);
    }

    @Test
    void aGroupIsOneCauseAndNamesWhoActsOnIt() {
        String operator = org.apitmoodle.support.OperatorHttp.basic("operator", "secret:with colon");

        assertThat(queue.group("User", " invalidemail ", "41", operator)).containsEntry("entity_type", "user")
                .containsEntry("error_code", "invalidemail").containsEntry("through", 41L).containsEntry("operator", "operator");
        assertThat(queue.group("user", "invalidemail", null, operator)).containsEntry("through", null);
        assertThat(queue.discardGroup("user", "invalidemail", "", operator, " Old test data "))
                .containsEntry("reason", "Old test data");
        assertStatus(() -> queue.group(null, "invalidemail", null, operator), 400);
        assertStatus(() -> queue.group("user", " ", null, operator), 400);
        assertStatus(() -> queue.group("teacher", "invalidemail", null, operator), 400);
        assertStatus(() -> queue.group("user", "invalid\nemail", null, operator), 400);
        assertStatus(() -> queue.group("user", "invalidemail", "latest", operator), 400);
        assertStatus(() -> queue.discardGroup("user", "invalidemail", null, operator, " "), 400);
    }

    @Test
    void aLargeGroupsLogLineNamesTheFirstIdsAndTheCount() {
        Map<String, Object> group = queue.group("user", "invalidemail", null, org.apitmoodle.support.OperatorHttp.basic("ann", "pw"));
        List<Map<String, Object>> rows = java.util.stream.LongStream.rangeClosed(1, 60)
                .mapToObj(id -> Map.<String, Object>of("id", id, "entity_type", "user", "entity_id", id, "state", "REPLAYED"))
                .toList();

        try (org.apitmoodle.support.CapturedLog log = org.apitmoodle.support.CapturedLog.capture()) {
            assertThat(queue.groupReplayed(rows, group)).containsEntry("replayed", 60);

            assertThat(log.lines()).filteredOn(line -> line.message().startsWith("Operator ann")).singleElement()
                    .satisfies(line -> assertThat(line.message()).startsWith(
                            "Operator ann replayed 60 dead-letter entries of user invalidemail: ids [1, 2,")
                            .endsWith(", 50, ...]"));
        }
    }

    @Test
    void theListKnowsWhatEachOperationsEntityIdIs() {
        Map<String, Object> filter = queue.filter(null, null, null);

        assertThat(filter).containsEntry("user_types", "user,user-update")
                .containsEntry("course_types", "course,course-dates,course-details,group,course-copy,copied-course")
                .containsEntry("booking_types", "enrolment,grades")
                .containsEntry("enrolment_types", "cancellation,reactivation,group-member,group-leave");
    }

    @Test
    void aChangeThatChangedNothingIsUnknownOrNotOpen() {
        Map<String, Object> request = Map.of("id", 7L);

        assertStatus(() -> queue.unchanged(List.of(), request), 404);
        assertThatThrownBy(() -> queue.unchanged(List.of(Map.of("state", "DISCARDED")), request))
                .isInstanceOf(DeadLetterRequestException.class).hasMessageContaining("is DISCARDED")
                .extracting(e -> ((DeadLetterRequestException) e).getStatus()).isEqualTo(409);
        assertStatus(() -> queue.single(List.of(), request), 404);
    }

    @Test
    void rowsBecomeEntriesWithTheParametersAsJsonAndTimesInUtc() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 3L);
        row.put("entity_type", "user");
        row.put("entity_id", 71L);
        row.put("moodle_params", "{\"username\": \"apit.71\"}");
        row.put("first_failed_at", Timestamp.from(Instant.parse("2027-03-01T09:00:00Z")));
        row.put("discard_reason", null);

        Map<String, Object> entry = queue.entries(List.of(row)).get(0);

        assertThat(entry).containsEntry("id", 3L).containsEntry("entityType", "user").containsEntry("entityId", 71L)
                .containsEntry("firstFailedAt", "2027-03-01T09:00:00Z").containsEntry("discardReason", null);
        assertThat(entry.get("moodleParams").toString()).isEqualTo("{\"username\":\"apit.71\"}");
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status) {
        assertThatThrownBy(call).isInstanceOf(DeadLetterRequestException.class)
                .extracting(e -> ((DeadLetterRequestException) e).getStatus()).isEqualTo(status);
    }
}
