package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user and course fields beyond what transcripts 289-302 show: core_user_update_users and
 * core_course_update_courses with them, and the lengths of Moodle's columns (a value too long is a database error).
 */
class UserAndCourseFieldsTest {

    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MoodleEmulator moodle;
    private MoodleSite site;

    @BeforeEach
    void start() {
        moodle = MoodleEmulator.start(0, TOKEN);
        moodle.addToService("core_user_update_users");
        site = moodle.site();
        site.addUserProfileField("employeeno", "Employee number", "text", List.of());
        site.addUserProfileField("region", "Region", "menu", List.of("North", "South", "East", "West"));
        site.addCourseCustomField("venue", "Venue");
    }

    @AfterEach
    void stop() {
        moodle.close();
    }

    @Test
    void updateUsersWritesTheFieldsSentAndKeepsTheOthers() throws Exception {
        long id = createUser("apit.u1", "users[0][department]", "Facilities", "users[0][country]", "GB",
                "users[0][customfields][0][type]", "region", "users[0][customfields][0][value]", "North",
                "users[0][customfields][1][type]", "employeeno", "users[0][customfields][1][value]", "E-1");

        JsonNode answer = post("core_user_update_users", "users[0][id]", Long.toString(id),
                "users[0][institution]", "Acme & Sons", "users[0][phone2]", "07700 900000",
                "users[0][address]", "1 Main Street", "users[0][middlename]", "Jo", "users[0][timezone]", "Europe/London",
                "users[0][country]", "xx",
                "users[0][customfields][0][type]", "region", "users[0][customfields][0][value]", "Middle",
                "users[0][customfields][1][type]", "nosuchfield", "users[0][customfields][1][value]", "X");

        assertThat(answer.path("warnings")).isEmpty();
        User u = site.userById(id).orElseThrow();
        assertThat(u.department()).isEqualTo("Facilities");
        assertThat(u.institution()).isEqualTo("Acme & Sons");
        assertThat(u.phone2()).isEqualTo("07700 900000");
        assertThat(u.address()).isEqualTo("1 Main Street");
        assertThat(u.middlename()).isEqualTo("Jo");
        assertThat(u.timezone()).isEqualTo("Europe/London");
        assertThat(u.country()).isEqualTo("0");
        // The menu value outside the options overwrites North with the default; employeeno was not sent.
        assertThat(u.profile()).isEqualTo(Map.of("region", "", "employeeno", "E-1"));

        JsonNode found = post("core_user_get_users_by_field", "field", "username", "values[0]", "apit.u1").get(0);
        assertThat(found.has("country")).isFalse();
        assertThat(found.has("phone2")).isFalse();
        assertThat(found.has("address")).isFalse();
        assertThat(found.path("institution").asText()).isEqualTo("Acme & Sons");
        assertThat(found.path("timezone").asText()).isEqualTo("Europe/London");
        assertThat(found.path("customfields").toString())
                .isEqualTo("[{\"type\":\"text\",\"value\":\"E-1\",\"name\":\"Employee number\",\"shortname\":\"employeeno\"}]");
    }

    @Test
    void aValueTooLongForItsColumnIsADatabaseError() throws Exception {
        JsonNode refused = post("core_user_create_users", user("apit.long", "users[0][phone1]", "1".repeat(21)));
        assertThat(refused.path("errorcode").asText()).isEqualTo("dmlwriteexception");
        assertThat(site.userByUsername("apit.long")).isEmpty();

        long id = createUser("apit.ok", "users[0][phone1]", "1".repeat(20), "users[0][city]", "c".repeat(120));
        JsonNode warned = post("core_user_update_users", "users[0][id]", Long.toString(id),
                "users[0][department]", "d".repeat(256));
        assertThat(warned.path("warnings").get(0).path("warningcode").asText()).isEqualTo("dmlwriteexception");
        assertThat(site.userById(id).orElseThrow().department()).isEmpty();
        assertThat(site.userById(id).orElseThrow().phone1()).hasSize(20);
    }

    @Test
    void theDescriptionIsReturnedOnlyForAUserWhoHoldsARole() throws Exception {
        long id = createUser("apit.d1", "users[0][description]", "Fire warden");
        assertThat(post("core_user_get_users_by_field", "field", "id", "values[0]", Long.toString(id)).get(0)
                .has("description")).isFalse();

        Course course = site.addCourse("APIT-D", "D", "APIT-D", 2);
        site.enrol(id, course.id(), 5, false);
        JsonNode found = post("core_user_get_users_by_field", "field", "id", "values[0]", Long.toString(id)).get(0);
        assertThat(found.path("description").asText()).isEqualTo("Fire warden");
        assertThat(found.path("descriptionformat").asInt()).isEqualTo(1);
    }

    @Test
    void updateCoursesWritesTheCustomFieldsAndLanguage() throws Exception {
        JsonNode created = post("core_course_create_courses", "courses[0][fullname]", "Course", "courses[0][shortname]",
                "APIT-U", "courses[0][categoryid]", "2");
        long id = created.get(0).path("id").asLong();
        JsonNode listed = courseByShortname("APIT-U");
        assertThat(listed.path("customfields").toString()).isEqualTo(
                "[{\"name\":\"Venue\",\"shortname\":\"venue\",\"type\":\"text\",\"valueraw\":\"\",\"value\":null}]");
        assertThat(site.courseById(id).orElseThrow().numsections()).isEqualTo(4);

        JsonNode answer = post("core_course_update_courses", "courses[0][id]", Long.toString(id),
                "courses[0][lang]", "en", "courses[0][visible]", "0",
                "courses[0][customfields][0][shortname]", "venue", "courses[0][customfields][0][value]", "Leeds & York",
                "courses[0][customfields][1][shortname]", "nosuchcf", "courses[0][customfields][1][value]", "X");

        assertThat(answer.path("warnings")).isEmpty();
        Course course = site.courseById(id).orElseThrow();
        assertThat(course.customField("venue")).isEqualTo("Leeds & York");
        assertThat(course.customfields()).containsOnlyKeys("venue");
        assertThat(course.lang()).isEqualTo("en");
        assertThat(course.visible()).isFalse();
        listed = courseByShortname("APIT-U");
        assertThat(listed.path("lang").asText()).isEqualTo("en");
        assertThat(listed.path("customfields").get(0).path("valueraw").asText()).isEqualTo("Leeds & York");
        assertThat(listed.path("customfields").get(0).path("value").asText()).isEqualTo("Leeds &amp; York");
    }

    @Test
    void aSiteWithoutCourseCustomFieldsListsNone() throws Exception {
        try (MoodleEmulator plain = MoodleEmulator.start(0, TOKEN)) {
            plain.site().addCourse("APIT-P", "P", "APIT-P", 2);
            JsonNode listed = JSON.readTree(send(plain, "core_course_get_courses_by_field",
                    List.of("field", "shortname", "value", "APIT-P"))).path("courses").get(0);
            assertThat(listed.has("customfields")).isFalse();
        }
    }

    // ---- Calls -------------------------------------------------------------------------------------------------

    private long createUser(String username, String... more) throws Exception {
        JsonNode created = post("core_user_create_users", user(username, more));
        assertThat(created.isArray()).as(created.toString()).isTrue();
        return created.get(0).path("id").asLong();
    }

    private static String[] user(String username, String... more) {
        List<String> fields = new ArrayList<>(List.of("users[0][username]", username, "users[0][createpassword]", "1",
                "users[0][firstname]", "Test", "users[0][lastname]", "User", "users[0][email]",
                username + "@example.com"));
        fields.addAll(List.of(more));
        return fields.toArray(String[]::new);
    }

    private JsonNode courseByShortname(String shortname) throws Exception {
        return post("core_course_get_courses_by_field", "field", "shortname", "value", shortname).path("courses")
                .get(0);
    }

    private JsonNode post(String function, String... pairs) throws Exception {
        return JSON.readTree(send(moodle, function, List.of(pairs)));
    }

    private String send(MoodleEmulator emulator, String function, List<String> pairs) throws Exception {
        StringBuilder form = new StringBuilder("wstoken=" + TOKEN + "&moodlewsrestformat=json&wsfunction=" + function);
        for (int i = 0; i < pairs.size(); i += 2) {
            form.append('&').append(URLEncoder.encode(pairs.get(i), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs.get(i + 1), StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.url() + MoodleEmulator.REST_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
