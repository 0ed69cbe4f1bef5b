package org.apitmoodle.moodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Moodle's refusals keep their debuginfo and name the field, as in the recorded debug exchanges. */
class MoodleRefusalTest {

    private final MoodleResponse response = new MoodleResponse();

    @Test
    void theFieldIsNamedFromTheDebuginfo() throws Exception {
        assertThat(refusal("216-debug-create-courses-fullname-angle-brackets").getMessage()).startsWith(
                "Invalid parameter value detected (field fullname): courses => Invalid parameter value detected:"
                + " fullname => ").contains("Fire Safety <Level 2>").contains("\"text\" type");
        assertThat(refusal("172-debug-update-users-html-lastname").getMessage())
                .startsWith("Invalid parameter value detected (field lastname): ");
        assertThat(refusal("135-debug-create-users-missing-lastname").getMessage())
                .startsWith("Invalid parameter value detected (field lastname): ");
        assertThat(refusal("137-debug-create-users-invalid-auth").getMessage())
                .startsWith("Invalid parameter value detected (field auth): ");
        assertThat(refusal("133-debug-create-users-duplicate-email").getMessage()).isEqualTo(
                "Invalid parameter value detected (field email): Email address already exists: APIT.ALICE@example.com");
        assertThat(refusal("131-debug-create-users-duplicate-username").getMessage()).isEqualTo(
                "Invalid parameter value detected (field username): Username already exists: apit.alice");
    }

    @Test
    void debuginfoIsKeptWhenNoFieldCanBeKnown() throws Exception {
        assertThat(refusal("243-debug-add-group-members-not-enrolled").getMessage()).isEqualTo(
                "Invalid parameter value detected: Only enrolled users may be members of groups");
        SyncFailure tooLong = refusal("208-debug-create-users-email-length-101");
        assertThat(tooLong.getErrorCode()).isEqualTo("dmlwriteexception");
        assertThat(tooLong.getMessage()).startsWith("Error writing to database: ERROR:  value too long for type"
                + " character varying(100)").hasSizeLessThan(1100);
    }

    @Test
    void withoutDebuginfoTheMessageIsMoodles() throws Exception {
        assertThat(refusal("215-create-courses-fullname-angle-brackets").getMessage())
                .isEqualTo("Invalid parameter value detected");
    }

    private SyncFailure refusal(String exchange) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/moodle-transcripts/" + exchange + ".json")) {
            String body = new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .get("response_body").asText();
            return catchThrowableOfType(() -> response.check(body, 200), SyncFailure.class);
        }
    }
}
