package org.apitmoodle.sync.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.junit.jupiter.api.Test;

/**
 * Our local checks decide as Moodle 4.1 did in the recorded exchanges: what Moodle refused is refused before
 * sending (with a sentence), what Moodle took passes.
 */
class MoodleRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final UserMapper users = new UserMapper("apit.");
    private final CourseMapper courses = new CourseMapper(2, "APIT-", "APIT-C-");

    /** One user per call, each varying one value: 185-213 (the debug twins repeat the plain ones). */
    private static final List<String> ONE_USER_EXCHANGES = List.of(
            "185-create-users-email-underscore-domain", "187-create-users-email-hyphen-start-domain",
            "189-create-users-email-double-dot-domain", "191-create-users-email-trailing-dot",
            "193-create-users-email-numeric-tld", "195-create-users-email-local-part-65",
            "197-create-users-email-local-part-70", "199-create-users-email-unicode-apostrophe-plus",
            "201-create-users-email-ascii-apostrophe-plus", "202-create-users-email-uppercase",
            "203-create-users-email-idn-domain", "205-create-users-email-idn-punycode",
            "206-create-users-email-length-100", "207-create-users-email-length-101",
            "210-create-users-firstname-100-e-acute", "211-create-users-firstname-101-e-acute",
            "213-create-users-firstname-50-emoji");

    @Test
    void usersAreRefusedLocallyExactlyWhenMoodleRefusedThem() throws IOException {
        for (String exchange : ONE_USER_EXCHANGES) {
            JsonNode transcript = transcript(exchange);
            Map<String, String> sent = params(transcript);
            boolean moodleRefused = JSON.readTree(transcript.get("response_body").asText()).has("errorcode");
            Map<String, Object> user = new HashMap<>();
            user.put("user_id", 1L);
            user.put("firstname", sent.get("users[0][firstname]"));
            user.put("lastname", sent.get("users[0][lastname]"));
            user.put("email", sent.get("users[0][email]"));
            if (moodleRefused) {
                assertThatThrownBy(() -> users.moodleUser(user)).as(exchange).isInstanceOf(BadRecordException.class)
                        .hasMessageEndingWith("then replay.");
            } else {
                assertThat(users.moodleUser(user)).as(exchange).containsEntry("email", sent.get("users[0][email]"));
            }
        }
    }

    @Test
    void theEmailsTheIssueListsAreRefused() {
        for (String email : List.of("a@exa_mple.com", "a@-x.com", "a@x..com", "a@x.com.", "a@x.123",
                "a".repeat(65) + "@example.com", "Zoë@example.org", "user@exämple.org", "a@example.com\n",
                "<a@example.com>", "a b@example.com", "a@localhost", "a@example")) {
            assertThat(MoodleRules.isValidEmail(email)).as(email).isFalse();
        }
        for (String email : List.of("Zoe.O'Brien+training@example.org", "ZOE@EXAMPLE.ORG", "user@xn--exmple-cua.org",
                "a".repeat(64) + "@example.com", "first_last@sub.example.co.uk", "a@x-y.com")) {
            assertThat(MoodleRules.isValidEmail(email)).as(email).isTrue();
        }
    }

    @Test
    void lengthsAreCountedInCharactersNotUtf16Units() {
        String fireEngines = "\uD83D\uDE92".repeat(50);
        assertThat(MoodleRules.length(fireEngines)).isEqualTo(50);
        assertThat(users.moodleUser(user("\uD83D\uDE92".repeat(100), "B"))).containsEntry("firstname",
                "\uD83D\uDE92".repeat(100));
        assertThatThrownBy(() -> users.moodleUser(user("\uD83D\uDE92".repeat(101), "B")))
                .hasMessage("The user's forenames is 101 characters long; Moodle takes at most 100. Shorten it in accessplanit, then replay.");
    }

    @Test
    void textMoodlesCleaningWouldChangeIsRefusedNamingTheFieldAndTheCharacters() throws IOException {
        // 171 and 181: lastname "<b>Bold</b>" (PARAM_NOTAGS); 215: fullname "Fire Safety <Level 2>" (PARAM_TEXT).
        String boldSurname = params(transcript("171-update-users-html-lastname")).get("users[0][lastname]");
        assertThatThrownBy(() -> users.moodleUser(user("Gina", boldSurname)))
                .isInstanceOf(BadRecordException.class)
                .hasFieldOrPropertyWithValue("errorCode", "markupinsurname")
                .hasMessage("The user's surname contains '<b>', which Moodle takes for web-page markup and refuses."
                        + " Remove the angle brackets (< and >) in accessplanit, then replay.");
        String label = params(transcript("215-create-courses-fullname-angle-brackets")).get("courses[0][fullname]");
        assertThatThrownBy(() -> courses.moodleCourse(course(label)))
                .hasFieldOrPropertyWithValue("errorCode", "markupinlabel")
                .hasMessageStartingWith("The course label contains '<Level 2>', which Moodle");

        // What strip_tags leaves alone passes: a bare ampersand or entity (217, 218), "<" before a space, a lone ">".
        for (String fine : List.of("Health & Safety", "Health &amp; Safety", "Age < 18", "Level > 2")) {
            assertThat(MoodleRules.markup(fine)).as(fine).isNull();
            assertThat(courses.moodleCourse(course(fine))).containsEntry("fullname", fine);
        }
        assertThat(MoodleRules.markup("Ends with <")).isEqualTo("<");
        assertThat(MoodleRules.markup("a<b")).isEqualTo("<b");
    }

    private static Map<String, Object> user(String forenames, String surname) {
        Map<String, Object> user = new HashMap<>();
        user.put("user_id", 1L);
        user.put("firstname", forenames);
        user.put("lastname", surname);
        user.put("email", "a@example.com");
        return user;
    }

    private static Map<String, Object> course(String label) {
        Map<String, Object> course = new HashMap<>();
        course.put("course_id", 1L);
        course.put("fullname", label);
        course.put("startdate", 1795496149L);
        return course;
    }

    static Map<String, String> params(JsonNode transcript) {
        Map<String, String> params = new HashMap<>();
        transcript.path("request").path("params").forEach(p -> params.put(p.get(0).asText(), p.get(1).asText()));
        return params;
    }

    static JsonNode transcript(String name) throws IOException {
        try (InputStream in = MoodleRulesTest.class.getResourceAsStream("/moodle-transcripts/" + name + ".json")) {
            assertThat(in).as(name).isNotNull();
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
