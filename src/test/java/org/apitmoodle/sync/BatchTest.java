package org.apitmoodle.sync;

import org.apitmoodle.sync.operations.UserMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.MoodleUnavailableException;
import org.junit.jupiter.api.Test;

/** A batch's calls in order, and what it writes back, without Camel. */
class BatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final UserMapper users = new UserMapper("apit.");

    /** A batch of these users, started as the pipeline starts it. */
    static Batch userBatch(long... ids) {
        Batch batch = new Batches(mappers(new UserMapper("apit.")), Map.of(Operation.USER, "core_user_create_users"), 1000).of("user",
                java.util.Arrays.stream(ids).mapToObj(BatchTest::user).toList(), 50).get(0);
        batch.start();
        return batch;
    }

    @Test
    void looksUpFirstAdoptsWhatMoodleHasAndCreatesOnlyTheRest() throws Exception {
        Batch batch = userBatch(1, 2);

        assertThat(batch.isCallDue()).isTrue();
        MoodleCall lookUp = batch.getNextCall();
        assertThat(lookUp.function()).isEqualTo("core_user_get_users_by_field");
        assertThat(lookUp.parameters()).containsEntry("values", List.of("apit.1", "apit.2"));
        batch.answered(json("[{\"id\":71,\"username\":\"apit.1\",\"idnumber\":\"1\",\"email\":\"u1@example.com\"}]"));
        // The same users by email: Moodle holds u1's (the account adopted above), not u2's.
        MoodleCall byEmail = batch.getNextCall();
        assertThat(byEmail.parameters()).containsEntry("field", "email");
        batch.answered(json("[{\"id\":71,\"username\":\"apit.1\",\"idnumber\":\"1\",\"email\":\"u1@example.com\"}]"));

        MoodleCall create = batch.getNextCall();
        assertThat(create.function()).isEqualTo("core_user_create_users");
        assertThat((List<?>) create.parameters().get("users")).hasSize(1);
        assertThat(batch.getSentPerRecord()).as("one record adopted: not aligned with the batch").isNull();
        batch.answered(json("[{\"id\":72,\"username\":\"apit.2\"}]"));

        assertThat(batch.isCallDue()).isFalse();
        assertThat(batch.getWriteBack()).containsExactly(saved(1, 71), saved(2, 72));
        assertThat(batch.getIds()).containsExactly(1L, 2L);
    }

    @Test
    void aBatchMoodleAlreadyHoldsWhollyMakesNoWriteCall() throws Exception {
        Batch batch = userBatch(3);
        batch.getNextCall();
        batch.answered(json("[{\"id\":73,\"username\":\"apit.3\",\"idnumber\":\"3\"}]"));
        batch.getNextCall();
        batch.answered(json("[]"));

        assertThat(batch.isCallDue()).isFalse();
        assertThat(batch.getWriteBack()).containsExactly(saved(3, 73));
    }

    @Test
    void anEmailMoodleHoldsForAnotherAccountIsRefusedBeforeAnyCreateNamingThatAccount() throws Exception {
        Batch batch = userBatch(8);
        batch.getNextCall();
        batch.answered(json("[]"));
        batch.getNextCall();

        assertThatThrownBy(() -> batch.answered(json("[{\"id\":90,\"username\":\"jsmith\",\"fullname\":\"Jo Smith\","
                + "\"email\":\"U8@example.com\"}]")))
                .isInstanceOf(BadRecordException.class)
                .hasMessage("The email address u8@example.com is already used by the Moodle account jsmith (Moodle user id"
                        + " 90, Jo Smith), and this Moodle site allows one account per email. Give this user their own"
                        + " email in accessplanit, or remove the other account in Moodle, then replay.")
                .extracting(e -> ((BadRecordException) e).getErrorCode()).isEqualTo("emailtaken");
    }

    @Test
    void aSiteThatAllowsSharedEmailsIsNotAskedForThem() {
        Batch batch = new Batches(mappers(new UserMapper("apit.", "manual", "id", true)),
                Map.of(Operation.USER, "core_user_create_users"), 1000).of("user", List.of(user(9)), 50).get(0);
        batch.start();
        assertThat(batch.getNextCall().parameters()).containsEntry("field", "username");
        batch.answered(new com.fasterxml.jackson.databind.node.ArrayNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance));
        assertThat(batch.getNextCall().function()).isEqualTo("core_user_create_users");
    }

    @Test
    void aRetryStartsAgainWithTheLookUps() throws Exception {
        Batch batch = userBatch(4);
        batch.getNextCall();
        batch.answered(json("[]"));
        batch.getNextCall();
        batch.answered(json("[]"));
        assertThat(batch.getNextCall().function()).isEqualTo("core_user_create_users");

        // The create timed out; Moodle may have made the user meanwhile.
        batch.start();
        assertThat(batch.getNextCall().function()).isEqualTo("core_user_get_users_by_field");
    }

    @Test
    void aRecordMoodleWouldRefuseFailsTheBatchBeforeAnyCallNamingIt() {
        Map<String, Object> bad = user(6);
        bad.put("email", "not-an-email");
        Batch batch = new Batches(mappers(users), Map.of(Operation.USER, "core_user_create_users"), 1000).of("user",
                List.of(user(5), bad, user(7)), 50).get(0);

        assertThatThrownBy(batch::start).isInstanceOf(BadRecordException.class)
                .satisfies(failure -> {
                    List<Batch> parts = batch.partsToRetry(failure);
                    assertThat(parts).extracting(Batch::getIds).containsExactly(List.of(5L, 7L), List.of(6L));
                });
    }

    @Test
    void aBatchMoodleRefusedAsAWholeIsRetriedInHalves() {
        Batch batch = userBatch(1, 2, 3, 4, 5);

        assertThat(batch.partsToRetry(new BadRecordException("invalidparameter", "Invalid parameter value detected")))
                .extracting(Batch::getIds).containsExactly(List.of(1L, 2L), List.of(3L, 4L, 5L));
        assertThat(batch.partsToRetry(new MoodleUnavailableException("http500", "down")))
                .extracting(Batch::getIds).containsExactly(List.of(1L, 2L), List.of(3L, 4L, 5L));
    }

    @Test
    void theClaimedBatchThenThePartsOfEachRefusalAreWaitingToBeSentUntilTaken() {
        Batch batch = userBatch(1, 2, 3, 4);

        assertThat(batch.takePartsToSend()).containsExactly(batch);
        assertThat(batch.hasPartsToSend()).isFalse();

        BadRecordException refused = new BadRecordException("invalidparameter", "Invalid parameter value detected");
        batch.retryInParts(refused);
        List<Batch> halves = batch.takePartsToSend();
        assertThat(halves).extracting(Batch::getIds).containsExactly(List.of(1L, 2L), List.of(3L, 4L));

        // A part refused in turn queues its own parts on the batch as claimed, which sends them next.
        halves.get(1).retryInParts(refused);
        assertThat(batch.hasPartsToSend()).isTrue();
        assertThat(batch.takePartsToSend()).extracting(Batch::getIds).containsExactly(List.of(3L), List.of(4L));
        assertThat(batch.hasPartsToSend()).isFalse();
    }

    @Test
    void batchesAreCutToTheSizeAndNameAnUnknownOperationOrMapper() {
        List<Map<String, Object>> records = List.of(user(1), user(2), user(3));
        assertThat(new Batches(mappers(users), Map.of(Operation.USER, "f"), 1000).of("user", records, 2))
                .extracting(Batch::getIds).containsExactly(List.of(1L, 2L), List.of(3L));
        assertThatThrownBy(() -> new Batches(mappers(users), Map.of(Operation.USER, "f"), 1000).of("teacher", records, 2))
                .hasMessageContaining("course, user, enrolment, course-dates, grades, cancellation, reactivation, user-update, course-details, group, group-member, group-leave, course-copy or copied-course");
        assertThatThrownBy(() -> new Batches(Map.of(), Map.of(), 1000).of("user", records, 2))
                .hasMessageContaining("The operation user does not run");
    }

    static Map<Operation, SyncMapper> mappers(SyncMapper users) {
        return Map.of(Operation.USER, users);
    }

    /** A written-back user: its ids, and the names and email sent (noted as what Moodle holds). */
    private static Map<String, Object> saved(long id, long moodleId) {
        return Map.of("user_id", id, "moodle_id", moodleId, "sent_fields",
                "{\"firstname\":\"F" + id + "\",\"lastname\":\"S" + id + "\",\"email\":\"u" + id + "@example.com\"}");
    }

    private static Map<String, Object> user(long id) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("user_id", id);
        row.put("firstname", "F" + id);
        row.put("lastname", "S" + id);
        row.put("email", "u" + id + "@example.com");
        return row;
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
