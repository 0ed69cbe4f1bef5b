package org.apitmoodle.sync.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.junit.jupiter.api.Test;

class MappersTest {

    private final CourseMapper courses = new CourseMapper(2, "APIT-", "APIT-C-");
    private final UserMapper users = new UserMapper("apit.");

    @Test
    void aCourseBecomesMoodlesCreateParameters() {
        Map<String, Object> request = courses.createCoursesRequest(List.of(course(101, "Fire Safety", 1795496149L, 1798174549L)));

        assertThat(request.get("courses")).asList().containsExactly(Map.of(
                "fullname", "Fire Safety", "shortname", "APIT-101", "categoryid", 2L, "idnumber", "APIT-C-101",
                "summary", "<p>Aims</p>", "summaryformat", 1L, "startdate", 1795496149L, "enddate", 1798174549L));
    }

    @Test
    void coursesMoodleCannotTakeAreStoppedBeforeSending() {
        assertRejected(() -> courses.moodleCourse(course(1, "  ", 1L, null)), "nolabel");
        assertRejected(() -> courses.moodleCourse(course(1, "x".repeat(255), 1L, null)), "labeltoolong");
        assertRejected(() -> courses.moodleCourse(course(1, "Label", null, null)), "nostartdate");
        assertRejected(() -> courses.moodleCourse(course(1, "Label", 200L, 100L)), "endbeforestart");
    }

    @Test
    void moodlesAnswerIsPairedWithTheCoursesSentByShortname() throws Exception {
        var answer = new ObjectMapper().readTree("[{\"id\":9,\"shortname\":\"APIT-102\"},{\"id\":8,\"shortname\":\"APIT-101\"}]");

        var written = courses.createdCourses(List.of(course(101, "A", 1L, null), course(102, "B", 5L, 9L)), answer);

        // The dates it was created with go along, so the date sync sends only later changes.
        assertThat(written).hasSize(2);
        assertThat(written.get(0)).containsEntry("course_id", 101L).containsEntry("moodle_id", 8L)
                .containsEntry("start_date", 1L).containsEntry("end_date", null);
        assertThat(written.get(1)).containsEntry("course_id", 102L).containsEntry("moodle_id", 9L)
                .containsEntry("start_date", 5L).containsEntry("end_date", 9L);
    }

    @Test
    void aUserBecomesMoodlesCreateParametersWithAMoodleUsername() {
        Map<String, Object> moodle = users.moodleUser(user(42, "Anna Maria", "O'Neill", "Anna.ONeill@example.com"));

        assertThat(moodle).containsEntry("username", "apit.42").containsEntry("firstname", "Anna Maria")
                .containsEntry("lastname", "O'Neill").containsEntry("email", "Anna.ONeill@example.com")
                .containsEntry("auth", "manual").containsEntry("createpassword", 1).doesNotContainKey("password");
        assertThat(new UserMapper("APIT-").username(7)).isEqualTo("apit-7");
    }

    @Test
    void aSingleSignOnUserIsSentWithItsPluginNoPasswordAndTheEmailAsUsername() {
        UserMapper sso = new UserMapper("apit.", "oauth2", "email");

        Map<String, Object> moodle = sso.moodleUser(user(42, "Anna", "Smith", "Anna.Smith@Example.com"));

        assertThat(moodle).containsEntry("username", "anna.smith@example.com").containsEntry("auth", "oauth2")
                .containsEntry("email", "Anna.Smith@Example.com").containsEntry("idnumber", "42")
                .doesNotContainKey("createpassword").doesNotContainKey("password");
        // An email Moodle takes but whose characters a username may not hold.
        assertRejected(() -> sso.moodleUser(user(43, "A", "B", "anna+course@example.com")), "invalidusername");
        assertThatThrownBy(() -> sso.moodleUser(user(43, "A", "B", "anna+course@example.com")))
                .hasMessageContaining("extendedusernamechars").hasMessageContaining("moodle.extended-username-chars=true");

        // A site that allows extended characters in usernames takes plus addressing: so does the integration.
        UserMapper extended = new UserMapper("apit.", "oauth2", "email", false, true);
        assertThat(extended.moodleUser(user(43, "A", "B", "Anna+Course@example.com")))
                .containsEntry("username", "anna+course@example.com");
        assertThat(new UserUpdateMapper(true, true).moodleUser(Map.of("user_id", 43L, "moodle_id", 9L,
                "firstname", "A", "lastname", "B", "email", "anna+new@example.com", "sent_fields", "{}")))
                .containsEntry("username", "anna+new@example.com");
        assertRejected(() -> new UserUpdateMapper(true, false).moodleUser(Map.of("user_id", 43L, "moodle_id", 9L,
                "firstname", "A", "lastname", "B", "email", "anna+new@example.com", "sent_fields", "{}")),
                "invalidusername");
    }

    @Test
    void withUsernamesFromEmailsOneEmailGivesOneAccount() throws Exception {
        UserMapper sso = new UserMapper("apit.", "oauth2", "email");
        var first = user(30, "Ann", "One", "shared@example.com");
        var second = user(31, "Ann", "Two", "Shared@example.com");

        // In one batch: the later user is refused, the batch is retried without it first.
        assertThatThrownBy(() -> sso.createUsersRequest(List.of(first, second)))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("emailshared");
                    assertThat(e.getRecord()).isSameAs(second);
                    assertThat(e.getMessage()).contains("accessplanit user 30", "moodle.user.username-from=email");
                });
        // Later, alone: the account found by the email username is the first user's (its ID number), never adopted.
        var found = new ObjectMapper().readTree("[{\"id\":77,\"username\":\"shared@example.com\","
                + "\"idnumber\":\"30\",\"email\":\"shared@example.com\",\"fullname\":\"Ann One\"}]");
        assertThat(sso.alreadyInMoodle(List.of(first), found))
                .extracting(row -> Map.of("user_id", row.get("user_id"), "moodle_id", row.get("moodle_id")))
                .containsExactly(Map.of("user_id", 30L, "moodle_id", 77L));
        assertThatThrownBy(() -> sso.alreadyInMoodle(List.of(second), found))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.getErrorCode())
                        .isEqualTo("emailshared"));
    }

    @Test
    void withUsernamesFromEmailsAnAccountMadeAtSignInIsAdopted() throws Exception {
        UserMapper sso = new UserMapper("apit.", "oauth2", "email");
        // Made by Moodle when the learner signed in through the identity provider: no ID number.
        var found = new ObjectMapper().readTree("[{\"id\":88,\"username\":\"bob@example.org\",\"idnumber\":\"\","
                + "\"email\":\"bob@example.org\",\"fullname\":\"Bob Jones\",\"auth\":\"oauth2\"}]");

        assertThat(sso.alreadyInMoodle(List.of(user(20, "Bob", "Jones", "Bob@Example.org")), found))
                .extracting(row -> Map.of("user_id", row.get("user_id"), "moodle_id", row.get("moodle_id")))
                .containsExactly(Map.of("user_id", 20L, "moodle_id", 88L));
    }

    @Test
    void twoUsersRefusedAloneWithAPluginMoodleNeverTookAreConfigurationNotTheRecords() throws Exception {
        UserMapper sso = new UserMapper("apit.", "saml2", "id");
        var one = List.of(user(1, "A", "B", "a@example.com"));
        var invalid = new BadRecordException("invalidparameter", "Invalid parameter value detected");

        // One user refused alone: it may be the record, so it is the record's, its sentence naming the setting too.
        assertThat(sso.refusedCall(one, invalid)).isInstanceOfSatisfying(BadRecordException.class,
                e -> assertThat(e.getMessage()).contains("moodle.user.auth ('saml2')"));
        assertThat(sso.refusedCall(one, invalid)).as("the same user again").isInstanceOf(BadRecordException.class);
        // Another user refused alone too, before Moodle took any: the plugin.
        assertThat(sso.refusedCall(List.of(user(3, "E", "F", "e@example.com")), invalid)).isInstanceOfSatisfying(
                org.apitmoodle.moodle.MoodleConfigurationException.class,
                e -> assertThat(e.getMessage()).contains("'saml2'", "moodle.user.auth", "MOODLE_USER_AUTH",
                        "users [1, 3]"));
        // A batch of several is split first: one bad record must not pause everything.
        assertThat(sso.refusedCall(List.of(user(1, "A", "B", "a@x.org"), user(2, "C", "D", "c@x.org")), invalid))
                .isSameAs(invalid);
        // Manual accounts: the plugin is Moodle's own, the record is at fault.
        assertThat(users.refusedCall(one, invalid)).isSameAs(invalid);
        // Once Moodle took an account with the plugin, a refusal is the record's.
        sso.createdUsers(one, new ObjectMapper().readTree("[{\"id\":5,\"username\":\"apit.1\"}]"));
        assertThat(sso.refusedCall(one, invalid)).isSameAs(invalid);
    }

    @Test
    void pluginsMoodleNeverCreatesAccountsForAreRefusedAtStartUp() {
        assertThat(UserMapper.authProblem("oauth2")).isNull();
        assertThat(UserMapper.authProblem("saml2")).isNull();
        assertThat(UserMapper.authProblem("nologin")).contains("cannot be nologin");
        assertThat(UserMapper.authProblem("webservice")).contains("cannot be webservice");
        assertThat(UserMapper.authProblem("OAuth2")).contains("must be the name");
    }

    @Test
    void usersMoodleCannotTakeAreStoppedBeforeSending() {
        assertRejected(() -> users.moodleUser(user(1, "A", "B", null)), "noemail");
        assertRejected(() -> users.moodleUser(user(1, "A", "B", "not-an-email")), "invalidemail");
        assertRejected(() -> users.moodleUser(user(1, "A", "B", "bad@@example.com")), "invalidemail");
        assertRejected(() -> users.moodleUser(user(1, "A", " ", "a@example.com")), "nosurname");
        assertRejected(() -> users.moodleUser(user(1, null, "B", "a@example.com")), "noforenames");
        assertRejected(() -> users.moodleUser(user(1, "A", "B".repeat(101), "a@example.com")), "surnametoolong");
        assertThat(UserMapper.isValidPrefix("apit.")).isTrue();
        assertThat(UserMapper.isValidPrefix("ap it")).isFalse();
    }

    @Test
    void aBookingBecomesAnEnrolmentWithTheConfiguredRoleOnly() {
        Map<String, Object> request = new EnrolmentMapper(5).enrolUsersRequest(
                List.of(Map.of("delegate_id", 1L, "moodle_user_id", 7L, "moodle_course_id", 2L)));

        assertThat(request.get("enrolments")).asList().containsExactly(Map.of("roleid", 5L, "userid", 7L, "courseid", 2L));
    }

    private static void assertRejected(Runnable mapping, String code) {
        assertThatThrownBy(mapping::run).isInstanceOf(BadRecordException.class)
                .extracting(e -> ((BadRecordException) e).getErrorCode()).isEqualTo(code);
    }

    private static Map<String, Object> course(long id, String label, Long start, Long end) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("course_id", id);
        row.put("fullname", label);
        row.put("summary", "<p>Aims</p>");
        row.put("summaryformat", 1);
        row.put("startdate", start);
        row.put("enddate", end);
        return row;
    }

    private static Map<String, Object> user(long id, String forenames, String surname, String email) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("user_id", id);
        row.put("firstname", forenames);
        row.put("lastname", surname);
        row.put("email", email);
        return row;
    }
}
