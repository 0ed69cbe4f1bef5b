package org.apitmoodle.moodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Error detection and classification, against the real exchanges recorded from Moodle 4.1. */
class MoodleResponseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MoodleResponse response = new MoodleResponse();

    @TestFactory
    Stream<DynamicTest> everyRecordedAnswerIsReadAsMoodleMeantIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : transcriptNames()) {
            JsonNode transcript = read(name);
            String body = transcript.path("response_body").asText();
            int status = transcript.path("response_status").asInt(200);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (status != 200) {
                    // The web server's own answer (154: PHP's HTTP 500, 279: nginx's 413): never a success.
                    assertThatThrownBy(() -> response.check(body, status)).isInstanceOf(SyncFailure.class);
                    return;
                }
                if (body.strip().startsWith("<")) {
                    assertThatThrownBy(() -> response.check(body, 200)).isInstanceOf(MoodleConfigurationException.class);
                    return;
                }
                JsonNode answer = JSON.readTree(body);
                if (answer.isObject() && answer.has("exception")) {
                    SyncFailure failure = catchThrowableOfType(SyncFailure.class, () -> response.check(body, 200));
                    assertThat(failure).as("an error answer is a failure, never a success").isNotNull();
                    // A PHP Error (231) has no errorcode: its exception class stands for it.
                    assertThat(failure.getErrorCode()).isEqualTo(answer.path("errorcode")
                            .asText(answer.path("exception").asText()));
                    // Moodle's message, then its debuginfo when it sent one (see MoodleRefusalTest).
                    assertThat(failure.getMessage()).isEqualTo(MoodleRefusal.message(answer.path("message").asText(),
                            answer.path("debuginfo").asText(null)));
                } else {
                    assertThat(response.check(body, 200)).isEqualTo(answer);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void classifiesMoodlesFailuresByWhatTheIntegrationMustDo() throws IOException {
        assertKind("002-site-info-invalid-token.json", FailureKind.CONFIGURATION);
        assertKind("009-site-info-user-lacks-rest-use.json", FailureKind.CONFIGURATION);
        assertKind("011-function-not-in-service.json", FailureKind.CONFIGURATION);
        assertKind("027-create-courses-weak-token.json", FailureKind.CONFIGURATION);
        assertKind("097-enrol-weak-token.json", FailureKind.CONFIGURATION);
        assertKind("021-create-courses-duplicate-shortname.json", FailureKind.BAD_DATA);
        assertKind("022-create-courses-duplicate-idnumber.json", FailureKind.BAD_DATA);
        assertKind("023-create-courses-nonexistent-category.json", FailureKind.CONFIGURATION);
        assertKind("052-create-users-duplicate-username.json", FailureKind.BAD_DATA);
        assertKind("055-create-users-malformed-email.json", FailureKind.BAD_DATA);
        assertKind("092-enrol-nonexistent-role.json", FailureKind.CONFIGURATION);
        assertKind("094-enrol-nonexistent-user.json", FailureKind.BAD_DATA);
        // Ambiguous: retried a few times (its own class), then dead-lettered as bad data.
        assertThat(MoodleResponse.failure("dml_write_exception", "dmlwriteexception", "Error writing to database"))
                .isInstanceOf(MoodleDatabaseException.class)
                .extracting(SyncFailure::getKind).isEqualTo(FailureKind.BAD_DATA);
        assertThat(MoodleResponse.failure("dml_missing_record_exception", "invalidrecord", "Can't find data record"))
                .as("a deleted course is not a database error").isExactlyInstanceOf(BadRecordException.class);
    }

    @Test
    void refusalsOfTheWholeIntegrationAreToldFromRefusalsOfOneCallAndFromSettings() throws IOException {
        for (String whole : List.of("002-site-info-invalid-token.json", "260-site-info-integration-user-suspended.json",
                "261-create-users-integration-user-suspended.json", "262-site-info-maintenance-mode.json",
                "263-create-users-maintenance-mode.json", "266-create-users-force-password-change.json",
                "271-site-info-password-expired.json")) {
            assertThat(refusal(whole).isWholeIntegration()).as(whole).isTrue();
            assertThat(refusal(whole).getSetting()).as(whole).isNull();
        }
        // The probe decides: the whole integration, or this call only.
        for (String oneCall : List.of("011-function-not-in-service.json", "027-create-courses-weak-token.json",
                "097-enrol-weak-token.json")) {
            assertThat(refusal(oneCall).isWholeIntegration()).as(oneCall).isFalse();
        }
        assertThat(refusal("023-create-courses-nonexistent-category.json").getSetting()).isEqualTo("moodle.category-id");
        assertThat(refusal("092-enrol-nonexistent-role.json").getSetting()).isEqualTo("moodle.role-id");
        assertThat(refusal("093-enrol-role-not-assignable.json").getSetting()).isEqualTo("moodle.role-id");
        // A too large request: nginx's 413 (transcript 279) and PHP's XML invalidtoken (272) are for the probe too.
        assertThat(catchThrowableOfType(MoodleConfigurationException.class,
                () -> response.check(read("279-create-courses-body-over-nginx-client-max-body-size.json")
                        .path("response_body").asText(), 413)).isWholeIntegration()).isFalse();
        MoodleConfigurationException xml = catchThrowableOfType(MoodleConfigurationException.class,
                () -> response.check(read("272-create-courses-body-over-post-max-size.json")
                        .path("response_body").asText(), 200));
        assertThat(xml.isWholeIntegration()).isFalse();
        assertThat(xml.getMessage()).contains("invalidtoken").contains("post_max_size");
    }

    private MoodleConfigurationException refusal(String transcript) throws IOException {
        String body = read(transcript).path("response_body").asText();
        return catchThrowableOfType(MoodleConfigurationException.class, () -> response.check(body, 200));
    }

    @Test
    void enrolsSuccessIsTheLiteralNull() {
        assertThat(response.check("null", 200).isNull()).isTrue();
    }

    @Test
    void httpFailuresAndEmptyAnswersAreClassifiedToo() {
        assertThatThrownBy(() -> response.check("<html>Bad gateway</html>", 502)).isInstanceOf(MoodleUnavailableException.class);
        assertThatThrownBy(() -> response.check("", 429)).isInstanceOf(MoodleUnavailableException.class);
        assertThatThrownBy(() -> response.check("Not found", 404)).isInstanceOf(MoodleConfigurationException.class);
        assertThatThrownBy(() -> response.check("", 200)).isInstanceOf(MoodleUnavailableException.class);
        assertThatThrownBy(() -> response.check("{\"truncated", 200)).isInstanceOf(MoodleUnavailableException.class);
    }

    private void assertKind(String transcript, FailureKind kind) throws IOException {
        String body = read(transcript).path("response_body").asText();
        SyncFailure failure = catchThrowableOfType(SyncFailure.class, () -> response.check(body, 200));
        assertThat(failure.getKind()).as(transcript).isEqualTo(kind);
    }

    static List<String> transcriptNames() throws IOException {
        try (InputStream index = MoodleResponseTest.class.getResourceAsStream("/moodle-transcripts/INDEX.md")) {
            String text = new String(index.readAllBytes());
            List<String> names = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("| ") && line.contains(".json")) {
                    names.add(line.substring(2, line.indexOf(".json") + 5));
                }
            }
            return names;
        }
    }

    static JsonNode read(String name) throws IOException {
        try (InputStream in = MoodleResponseTest.class.getResourceAsStream("/moodle-transcripts/" + name)) {
            return JSON.readTree(in);
        }
    }
}
