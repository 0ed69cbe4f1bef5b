package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.support.CapturedLog;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dead-letter queue over HTTP, as an operator's curl uses it: entries are put straight into dead_letter (with
 * the record's sync_state FAILED, as the sync leaves it), then listed, shown, replayed and discarded. Each test
 * uses entity ids and error codes of its own.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "camel.server.enabled=true", "dead-letters.username=operator", "dead-letters.password=" + DeadLetterQueueHttpTest.PASSWORD,
        // This class tries many wrong passwords on purpose; the slowing down is OperatorServerTest's.
        "dead-letters.login-failures-before-delay=1000"})
// One application for the class: its tests use ids and error codes of their own, so a boot each proved nothing more
// and cost most of the class's time.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterQueueHttpTest extends OperatorServerTestSupport {

    static final String PASSWORD = "correct horse battery staple";
    static final String OPERATOR = OperatorHttp.basic("operator", PASSWORD);
    static final ObjectMapper JSON = new ObjectMapper();

    OperatorHttp http;

    @BeforeEach
    void operator() {
        http = new OperatorHttp(port);
    }

    @Test
    void listsOpenEntriesByDefaultFilteredByEntityTypeErrorCodeAndState() {
        long judy = deadLetter("user", 101, "listcode", "Invalid email judy@example");
        long course = deadLetter("course", 101, "listcode", "Course without a start date");
        long other = deadLetter("user", 102, "othercode", "Something else");
        long discarded = deadLetter("user", 103, "listcode", "Discarded earlier");
        db.update("UPDATE dead_letter SET state = 'DISCARDED', discard_reason = 'test' WHERE id = ?", discarded);

        assertThat(ids(json(http.get("/dead-letters?errorCode=listcode", OPERATOR)))).containsExactly(judy, course);
        assertThat(ids(json(http.get("/dead-letters?entityType=user&errorCode=listcode", OPERATOR)))).containsExactly(judy);
        assertThat(ids(json(http.get("/dead-letters?entityType=user&errorCode=listcode&state=DISCARDED", OPERATOR))))
                .containsExactly(discarded);
        assertThat(ids(json(http.get("/dead-letters", OPERATOR)))).contains(judy, course, other).doesNotContain(discarded);

        JsonNode first = json(http.get("/dead-letters?entityType=user&errorCode=listcode", OPERATOR)).get(0);
        assertThat(first.get("entityType").asText()).isEqualTo("user");
        assertThat(first.get("entityId").asLong()).isEqualTo(101);
        assertThat(first.get("errorMessage").asText()).isEqualTo("Invalid email judy@example");
        assertThat(first.get("state").asText()).isEqualTo("OPEN");
        assertThat(first.get("firstFailedAt").asText()).endsWith("Z");
    }

    @Test
    void aFilterThatIsNotAnEntityTypeOrStateIsRefused() {
        HttpResponse<String> badType = http.get("/dead-letters?entityType=teacher", OPERATOR);
        HttpResponse<String> badState = http.get("/dead-letters?state=FIXED", OPERATOR);

        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(json(badType).get("message").asText()).contains("entityType must be course, user, enrolment, course-dates, grades, cancellation, reactivation, user-update, course-details, group, group-member, group-leave, course-copy or copied-course");
        assertThat(badState.statusCode()).isEqualTo(400);
    }

    @Test
    void showsOneEntryWithWhatWasSentForIt() {
        long id = deadLetter("user", 111, "invalidemail", "Invalid email");

        HttpResponse<String> response = http.get("/dead-letters/" + id, OPERATOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        JsonNode entry = json(response);
        assertThat(entry.get("id").asLong()).isEqualTo(id);
        assertThat(entry.get("moodleFunction").asText()).isEqualTo("core_user_create_users");
        assertThat(entry.get("moodleParams").get("username").asText()).isEqualTo("apit.111");
        assertThat(entry.get("errorClass").asText()).isEqualTo("bad-data");
        assertThat(http.get("/dead-letters/999999", OPERATOR).statusCode()).isEqualTo(404);
        assertThat(http.get("/dead-letters/abc", OPERATOR).statusCode()).isEqualTo(404);
    }

    @Test
    void replayMarksTheEntryReplayedAndReleasesTheRecordsFailedClaim() {
        long id = deadLetter("user", 121, "invalidemail", "Invalid email");
        long untouched = deadLetter("user", 122, "invalidemail", "Invalid email");

        HttpResponse<String> response = http.post("/dead-letters/" + id + "/replay", OPERATOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asText()).isEqualTo("REPLAYED");
        assertThat(state(id)).isEqualTo("REPLAYED");
        assertThat(syncState("user", 121)).as("no claim: the next poll takes the record afresh").isNull();
        assertThat(state(untouched)).isEqualTo("OPEN");
        assertThat(syncState("user", 122)).isEqualTo("FAILED");

        HttpResponse<String> again = http.post("/dead-letters/" + id + "/replay", OPERATOR);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("message").asText()).contains("REPLAYED");
        assertThat(http.post("/dead-letters/999999/replay", OPERATOR).statusCode()).isEqualTo(404);
    }

    @Test
    void replayAllReplaysEveryOpenEntryMatchingTheFilterAndNoOther() {
        long first = deadLetter("user", 131, "replayallcode", "a");
        long second = deadLetter("user", 132, "replayallcode", "b");
        long otherType = deadLetter("course", 131, "replayallcode", "c");
        long otherCode = deadLetter("user", 133, "othercode", "d");

        HttpResponse<String> response = http.post("/dead-letters/replay?entityType=user&errorCode=replayallcode", OPERATOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("replayed").asInt()).isEqualTo(2);
        assertThat(ids(json(response).get("entries"))).containsExactly(first, second);
        assertThat(state(first)).isEqualTo("REPLAYED");
        assertThat(state(second)).isEqualTo("REPLAYED");
        assertThat(syncState("user", 131)).isNull();
        assertThat(syncState("user", 132)).isNull();
        assertThat(state(otherType)).isEqualTo("OPEN");
        assertThat(syncState("course", 131)).isEqualTo("FAILED");
        assertThat(state(otherCode)).isEqualTo("OPEN");
        assertThat(syncState("user", 133)).isEqualTo("FAILED");
    }

    @Test
    void discardNeedsAReasonAndLeavesTheRecordFailed() {
        long id = deadLetter("user", 141, "emailtaken", "Email taken by someone else");

        HttpResponse<String> withoutReason = http.post("/dead-letters/" + id + "/discard", OPERATOR);
        HttpResponse<String> blankReason = http.postForm("/dead-letters/" + id + "/discard", "reason=+", OPERATOR);
        assertThat(withoutReason.statusCode()).isEqualTo(400);
        assertThat(json(withoutReason).get("message").asText()).contains("reason is required");
        assertThat(blankReason.statusCode()).isEqualTo(400);
        assertThat(state(id)).isEqualTo("OPEN");

        HttpResponse<String> discarded = http.postForm("/dead-letters/" + id + "/discard",
                "reason=" + URLEncoder.encode("Left the company & never starts", StandardCharsets.UTF_8), OPERATOR);

        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(json(discarded).get("state").asText()).isEqualTo("DISCARDED");
        Map<String, Object> row = db.rows("SELECT state, discard_reason FROM dead_letter WHERE id = ?", id).get(0);
        assertThat(row).containsEntry("state", "DISCARDED").containsEntry("discard_reason", "Left the company & never starts");
        assertThat(syncState("user", 141)).as("never sent again").isEqualTo("FAILED");
        assertThat(http.postForm("/dead-letters/" + id + "/discard", "reason=again", OPERATOR).statusCode()).isEqualTo(409);
        assertThat(http.post("/dead-letters/" + id + "/replay", OPERATOR).statusCode()).isEqualTo(409);
        assertThat(http.postForm("/dead-letters/999999/discard", "reason=x", OPERATOR).statusCode()).isEqualTo(404);
    }

    @Test
    void theReasonMayAlsoComeInTheQuery() {
        long id = deadLetter("user", 151, "emailtaken", "Email taken");

        HttpResponse<String> discarded = http.post("/dead-letters/" + id + "/discard?reason=Duplicate%20of%20user%2042", OPERATOR);

        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(db.value("SELECT discard_reason FROM dead_letter WHERE id = ?", id)).isEqualTo("Duplicate of user 42");
    }

    @Test
    void everyEndpointAndThePageRefuseAMissingOrWrongPassword() {
        long id = deadLetter("user", 161, "authcode", "Invalid email");
        List<String> wrong = List.of(OperatorHttp.basic("operator", "wrong"), OperatorHttp.basic("someone", PASSWORD),
                "Basic not-base64!", "Bearer " + PASSWORD);

        for (String authorization : new String[] {null, wrong.get(0), wrong.get(1), wrong.get(2), wrong.get(3)}) {
            for (HttpResponse<String> response : List.of(
                    http.get("/dead-letters", authorization),
                    http.get("/dead-letters/" + id, authorization),
                    http.get("/dead-letter-queue", authorization),
                    http.post("/dead-letters/" + id + "/replay", authorization),
                    http.post("/dead-letters/replay?errorCode=authcode", authorization),
                    http.postForm("/dead-letters/replay-group", "entityType=user&errorCode=authcode", authorization),
                    http.postForm("/dead-letters/discard-group", "entityType=user&errorCode=authcode&reason=x", authorization),
                    http.postForm("/dead-letters/" + id + "/discard", "reason=x", authorization))) {
                assertThat(response.statusCode()).as(response.request().method() + " " + response.uri() + " with " + authorization)
                        .isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        challenge -> assertThat(challenge).startsWith("Basic realm="));
                assertThat(response.body()).doesNotContain("authcode").doesNotContain(PASSWORD);
            }
        }
        assertThat(state(id)).isEqualTo("OPEN");
        assertThat(syncState("user", 161)).isEqualTo("FAILED");
    }

    @Test
    void aChangeAskedByAnotherSitesPageIsRefused() {
        long id = deadLetter("user", 171, "csrfcode", "Invalid email");

        HttpResponse<String> fromAnotherSite = http.send(http.request("/dead-letters/" + id + "/discard?reason=x", OPERATOR)
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        // An auto-submitted form of a site that sends no Origin and no Sec-Fetch-Site (an old browser, or a tool).
        HttpResponse<String> withoutOriginOrToken = http.send(http.request("/dead-letters/replay", OPERATOR)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(fromAnotherSite.statusCode()).isEqualTo(403);
        assertThat(withoutOriginOrToken.statusCode()).isEqualTo(403);
        assertThat(json(withoutOriginOrToken).get("message").asText()).contains("X-CSRF-Token", "Origin");
        assertThat(state(id)).isEqualTo("OPEN");
        assertThat(syncState("user", 171)).isEqualTo("FAILED");
    }

    @Test
    void replayGroupReplaysTheWholeCauseInOneRequestAndLogsWhoAndHowMany() {
        long first = deadLetter("user", 401, "groupcode", "The user's email address 'a@x' is not valid.");
        long second = deadLetter("user", 402, "groupcode", "The user's email address 'b@x' is not valid.");
        long otherType = deadLetter("enrolment", 401, "groupcode", "The user is not in Moodle.");
        long otherCode = deadLetter("user", 403, "othergroupcode", "Something else");

        HttpResponse<String> response;
        try (CapturedLog log = CapturedLog.capture()) {
            response = http.postForm("/dead-letters/replay-group", "entityType=user&errorCode=groupcode", OPERATOR);

            assertThat(log.lines()).filteredOn(line -> line.message().contains("groupcode")).singleElement()
                    .satisfies(line -> {
                        assertThat(line.message()).isEqualTo("Operator operator replayed 2 dead-letter entries of user"
                                + " groupcode: ids [" + first + ", " + second + "]");
                        assertThat(line.context()).containsEntry("operator", "operator").containsEntry("count", "2");
                    });
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("replayed").asInt()).isEqualTo(2);
        assertThat(ids(json(response).get("entries"))).containsExactly(first, second);
        assertThat(state(first)).isEqualTo("REPLAYED");
        assertThat(state(second)).isEqualTo("REPLAYED");
        assertThat(syncState("user", 401)).as("the next poll takes it afresh").isNull();
        assertThat(syncState("user", 402)).isNull();
        assertThat(state(otherType)).isEqualTo("OPEN");
        assertThat(state(otherCode)).isEqualTo("OPEN");
    }

    @Test
    void aGroupActionLeavesEntriesNewerThanTheOperatorSaw() {
        long seen = deadLetter("user", 411, "throughcode", "Invalid email");
        long newer = deadLetter("user", 412, "throughcode", "Invalid email");

        HttpResponse<String> response = http.postForm("/dead-letters/replay-group",
                "entityType=user&errorCode=throughcode&through=" + seen, OPERATOR);

        assertThat(json(response).get("replayed").asInt()).isEqualTo(1);
        assertThat(state(seen)).isEqualTo("REPLAYED");
        assertThat(state(newer)).isEqualTo("OPEN");
    }

    @Test
    void discardGroupNeedsTheCauseAndAReasonAndLogsWhoAndHowMany() {
        long first = deadLetter("course", 421, "discardgroupcode", "No start date");
        long second = deadLetter("course", 422, "discardgroupcode", "No start date");
        long otherType = deadLetter("course-dates", 421, "discardgroupcode", "No start date");

        HttpResponse<String> withoutReason = http.postForm("/dead-letters/discard-group",
                "entityType=course&errorCode=discardgroupcode", OPERATOR);
        HttpResponse<String> withoutCode = http.postForm("/dead-letters/discard-group", "entityType=course&reason=x", OPERATOR);
        HttpResponse<String> withoutType = http.postForm("/dead-letters/replay-group", "errorCode=discardgroupcode", OPERATOR);
        assertThat(withoutReason.statusCode()).isEqualTo(400);
        assertThat(json(withoutReason).get("message").asText()).contains("reason is required");
        assertThat(withoutCode.statusCode()).isEqualTo(400);
        assertThat(json(withoutCode).get("message").asText()).contains("entityType and errorCode are both required");
        assertThat(withoutType.statusCode()).isEqualTo(400);
        assertThat(state(first)).isEqualTo("OPEN");

        HttpResponse<String> response;
        try (CapturedLog log = CapturedLog.capture()) {
            response = http.postForm("/dead-letters/discard-group", "entityType=course&errorCode=discardgroupcode&reason="
                    + URLEncoder.encode("Old test courses\nnot real", StandardCharsets.UTF_8), OPERATOR);

            assertThat(log.lines()).filteredOn(line -> line.message().contains("discardgroupcode")).singleElement()
                    .satisfies(line -> {
                        assertThat(line.message()).startsWith("Operator operator discarded 2 dead-letter entries of course"
                                + " discardgroupcode").doesNotContain("Old test courses");
                        assertThat(line.context()).containsEntry("operator", "operator").containsEntry("count", "2")
                                .containsEntry("reason", "Old test courses\nnot real");
                    });
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("discarded").asInt()).isEqualTo(2);
        assertThat(db.rows("SELECT state, discard_reason FROM dead_letter WHERE id IN (?, ?)", first, second))
                .allSatisfy(row -> assertThat(row).containsEntry("state", "DISCARDED")
                        .containsEntry("discard_reason", "Old test courses\nnot real"));
        assertThat(syncState("course", 421)).as("never sent again").isEqualTo("FAILED");
        assertThat(state(otherType)).isEqualTo("OPEN");
    }

    @Test
    void aGroupActionAskedByAnotherSitesPageIsRefused() {
        long id = deadLetter("user", 431, "csrfgroupcode", "Invalid email");

        for (String path : List.of("/dead-letters/replay-group", "/dead-letters/discard-group")) {
            HttpResponse<String> fromAnotherSite = http.send(http.request(path, OPERATOR)
                    .header("Origin", "https://evil.example").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("entityType=user&errorCode=csrfgroupcode&reason=x"))
                    .build());
            HttpResponse<String> withoutOriginOrToken = http.send(http.request(path, OPERATOR)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("entityType=user&errorCode=csrfgroupcode&reason=x"))
                    .build());

            assertThat(fromAnotherSite.statusCode()).as(path).isEqualTo(403);
            assertThat(withoutOriginOrToken.statusCode()).as(path).isEqualTo(403);
            assertThat(json(withoutOriginOrToken).get("message").asText()).contains("X-CSRF-Token", "Origin");
        }
        assertThat(state(id)).isEqualTo("OPEN");
        assertThat(syncState("user", 431)).isEqualTo("FAILED");
    }

    @Test
    void theListNamesEachRecordFromTheAccessplanitTables() {
        db.update("INSERT INTO users (id, forenames, surname, email) VALUES (441, 'Judy', 'Jones', 'judy@example')");
        long user = deadLetter("user", 441, "namecode", "Invalid email");
        long gone = deadLetter("user", 442, "namecode", "Invalid email");

        JsonNode entries = json(http.get("/dead-letters?errorCode=namecode", OPERATOR));

        assertThat(ids(entries)).containsExactly(user, gone);
        assertThat(entries.get(0).get("userForenames").asText()).isEqualTo("Judy");
        assertThat(entries.get(0).get("userEmail").asText()).isEqualTo("judy@example");
        assertThat(entries.get(0).get("groupSize").asInt()).isEqualTo(2);
        assertThat(entries.get(1).get("userForenames").isNull()).isTrue();
    }

    @Test
    void requestParametersCannotSteerTheSql() {
        long id = deadLetter("user", 181, "steercode", "Invalid email");

        HttpResponse<String> response = http.get("/dead-letters?errorCode=steercode&CamelSqlQuery="
                + URLEncoder.encode("DELETE FROM dead_letter", StandardCharsets.UTF_8), OPERATOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ids(json(response))).containsExactly(id);
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE id = ?", id)).isEqualTo(1);
    }

    @Test
    void everyOperationsEntriesAreReplayedByTheirEntityType() {
        long entityId = 9000;
        for (org.apitmoodle.sync.Operation operation : org.apitmoodle.sync.Operation.values()) {
            entityId++;
            long id = deadLetter(operation.key(), entityId, "replaybytype", "Moodle could not read it");

            HttpResponse<String> response = http.post("/dead-letters/replay?entityType=" + operation.key()
                    + "&errorCode=replaybytype", OPERATOR);

            assertThat(response.statusCode()).as(operation.key()).isEqualTo(200);
            assertThat(ids(json(response).get("entries"))).as(operation.key()).containsExactly(id);
            assertThat(state(id)).isEqualTo("REPLAYED");
            assertThat(syncState(operation.key(), entityId)).as("the next poll takes it afresh").isNull();
        }
    }

    /** An open dead-letter entry for a record whose claim the sync marked FAILED, as dead-letter-record.sql leaves it. */
    private long deadLetter(String entityType, long entityId, String errorCode, String message) {
        db.update("INSERT INTO sync_state (entity_type, entity_id, state, attempts) VALUES (?, ?, 'FAILED', 1)",
                entityType, entityId);
        return (Long) db.value("INSERT INTO dead_letter (entity_type, entity_id, moodle_function, moodle_params,"
                + " error_class, error_code, error_message) VALUES (?, ?, 'core_user_create_users', CAST(? AS jsonb),"
                + " 'bad-data', ?, ?) RETURNING id", entityType, entityId,
                "{\"username\": \"apit." + entityId + "\"}", errorCode, message);
    }

    private String state(long id) {
        return (String) db.value("SELECT state FROM dead_letter WHERE id = ?", id);
    }

    private String syncState(String entityType, long entityId) {
        return (String) db.value("SELECT state FROM sync_state WHERE entity_type = ? AND entity_id = ?", entityType, entityId);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("Not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static List<Long> ids(JsonNode entries) {
        assertThat(entries.isArray()).as("a list of entries: " + entries).isTrue();
        return java.util.stream.StreamSupport.stream(entries.spliterator(), false).map(entry -> entry.get("id").asLong()).toList();
    }
}
