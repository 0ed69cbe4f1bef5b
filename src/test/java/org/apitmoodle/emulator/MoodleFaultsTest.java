package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator answers Moodle's faults as the real Moodle did (transcripts 258-279, and the real run of issue 10). */
class MoodleFaultsTest {

    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MoodleEmulator moodle;

    @BeforeEach
    void start() {
        moodle = MoodleEmulator.start(0, TOKEN);
    }

    @AfterEach
    void stop() {
        moodle.close();
    }

    // ---- Uniqueness checks are not atomic across calls ---------------------------------------------------------

    @Test
    void twoConcurrentCallsCreateTwoAccountsWithOneEmailWhileOneAtATimeRefusesTheSecond() throws Exception {
        // Each call's modelled time (55 ms a user) passes between its email check and its commit.
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(20), Duration.ofMillis(300), Duration.ZERO,
                Duration.ZERO));
        var first = async(createUser("apit.1", "same@example.com"));
        var second = async(createUser("apit.2", "SAME@example.com"));

        assertThat(first.get().isArray()).as(first.get().toString()).isTrue();
        assertThat(second.get().isArray()).as(second.get().toString()).isTrue();
        assertThat(moodle.site().users()).filteredOn(u -> u.email().equalsIgnoreCase("same@example.com")).hasSize(2);

        // One call at a time: the second sees the first's account.
        post(createUser("apit.3", "other@example.com"));
        JsonNode refused = post(createUser("apit.4", "Other@example.com"));
        assertThat(refused.path("errorcode").asText()).isEqualTo("invalidparameter");
        assertThat(moodle.site().userByUsername("apit.4")).isEmpty();
    }

    @Test
    void theUsernameHasAUniqueIndexSoTheLaterOfTwoConcurrentCreatesFailsWithADatabaseError() throws Exception {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(20), Duration.ofMillis(300), Duration.ZERO,
                Duration.ZERO));
        var first = async(createUser("apit.7", "a7@example.com"));
        var second = async(createUser("apit.7", "b7@example.com"));

        List<String> answers = List.of(first.get().path("errorcode").asText("created"),
                second.get().path("errorcode").asText("created"));
        assertThat(answers).containsExactlyInAnyOrder("created", "dmlwriteexception");
        assertThat(moodle.site().users()).filteredOn(u -> u.username().equals("apit.7")).hasSize(1);
    }

    @Test
    void twoConcurrentCallsCreateTwoCoursesWithOneShortname() throws Exception {
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(20), Duration.ZERO, Duration.ofMillis(300),
                Duration.ZERO));
        var first = async(createCourse("APIT-1", "APIT-C-1"));
        var second = async(createCourse("APIT-1", "APIT-C-1"));

        assertThat(first.get().isArray()).isTrue();
        assertThat(second.get().isArray()).isTrue();
        assertThat(moodle.site().courses()).filteredOn(c -> c.shortname().equals("APIT-1")).hasSize(2);
        assertThat(post(createCourse("APIT-1", "APIT-C-9")).path("errorcode").asText()).isEqualTo("shortnametaken");
    }

    @Test
    void aSiteThatAllowsAccountsWithTheSameEmailTakesASecondOne() throws Exception {
        moodle.site().setAllowAccountsSameEmail(true);
        post(createUser("apit.1", "shared@example.com"));
        assertThat(post(createUser("apit.2", "shared@example.com")).isArray()).isTrue();
    }

    // ---- Refusals of the integration and of the site -----------------------------------------------------------

    @Test
    void eachSwitchAnswersAsTheRecordedSite() throws Exception {
        assertRefusal(m -> m.suspendIntegrationAccount(true), "wsaccessusersuspended",
                "Refused web service access for suspended username: apit", m -> m.suspendIntegrationAccount(false));
        assertRefusal(m -> m.maintenanceMode(true), "sitemaintenance",
                "The site is undergoing maintenance and is currently not available", m -> m.maintenanceMode(false));
        assertRefusal(m -> m.expireIntegrationPassword(true), "wsaccessuserexpired",
                "Refused web service access for password expired username: apit",
                m -> m.expireIntegrationPassword(false));
        assertRefusal(m -> m.deleteIntegrationAccount(true), "wsaccessuserdeleted",
                "Refused web service access for deleted username: apit", m -> m.deleteIntegrationAccount(false));
        assertRefusal(m -> m.integrationAccountNoLogin(true), "wsaccessusernologin",
                "Refused web service access for nologin authentication username: apit",
                m -> m.integrationAccountNoLogin(false));
        assertRefusal(m -> m.removeFromService("core_user_create_users"), "accessexception",
                "Access control exception", m -> m.restoreToService("core_user_create_users"));
        assertThat(moodle.site().users()).noneMatch(u -> u.username().startsWith("apit.x"));
    }

    @Test
    void aForcedPasswordChangeRefusesWritesButNotSiteInfo() throws Exception {
        moodle.forcePasswordChange(true);
        assertThat(post(List.of("wsfunction", "core_webservice_get_site_info")).path("username").asText())
                .isEqualTo("apit");
        assertThat(post(createUser("apit.f", "f@example.com")).path("errorcode").asText())
                .isEqualTo("forcepasswordchangenotice");
        assertThat(post(List.of("wsfunction", "core_enrol_get_enrolled_users", "courseid", "1"))
                .path("errorcode").asText()).isEqualTo("errorcoursecontextnotvalid");
        moodle.forcePasswordChange(false);
        assertThat(post(createUser("apit.f", "f@example.com")).isArray()).isTrue();
    }

    @Test
    void oneCourseTheIntegrationCannotReachRefusesOnlyThere() throws Exception {
        long reachable = moodle.site().addCourse("OPEN", "Open", "", 2).id();
        long closed = moodle.site().addCourse("CLOSED", "Closed", "", 2).id();
        post(createUser("apit.e", "e@example.com"));
        long user = moodle.site().userByUsername("apit.e").orElseThrow().id();
        moodle.site().refuseServiceUserInCourse(closed, "nopermissions");

        assertThat(post(enrol(user, closed)).path("errorcode").asText()).isEqualTo("nopermissions");
        assertThat(post(enrol(user, reachable)).isNull()).isTrue();
        moodle.site().refuseServiceUserInCourse(closed, "requireloginerror");
        assertThat(post(enrol(user, closed)).path("errorcode").asText()).isEqualTo("requireloginerror");
        assertThat(moodle.site().isEnrolled(user, closed)).isFalse();
    }

    @Test
    void theGroupFunctionsAnswerACourseTheyCannotEnterAsGroupExternallibWrapsIt() throws Exception {
        long closed = moodle.site().addCourse("CLOSED", "Closed", "", 2).id();
        List<String> missing = List.of("wsfunction", "core_group_get_course_groups", "courseid", "99999");
        List<String> groupsOfClosed = List.of("wsfunction", "core_group_get_course_groups", "courseid",
                Long.toString(closed));

        assertThat(post(missing).path("message").asText()).isEqualTo("You cannot execute functions in the course"
                + " context (course id:99999). The context error message was: Invalid parameter value detected");
        moodle.site().refuseServiceUserInCourse(closed, "requireloginerror");
        JsonNode wrapped = post(groupsOfClosed);
        assertThat(wrapped.path("errorcode").asText()).isEqualTo("errorcoursecontextnotvalid");
        assertThat(wrapped.path("message").asText()).endsWith("The context error message was: Course or activity not"
                + " accessible.");
        moodle.site().refuseServiceUserInCourse(closed, "nopermissions");
        assertThat(post(groupsOfClosed).path("errorcode").asText()).as("require_capability is outside the wrap")
                .isEqualTo("nopermissions");
        moodle.site().refuseServiceUserInCourse(closed, null);
        assertThat(post(groupsOfClosed).isArray()).isTrue();
    }

    // ---- PHP's and nginx's limits ------------------------------------------------------------------------------

    @Test
    void maxInputVarsDropsTheTailWithoutAnErrorAsInTranscript277() throws Exception {
        moodle.maxInputVars(1000);
        JsonNode transcript = transcript("277-create-users-over-max-input-vars-valid-cut");
        List<String> fields = new ArrayList<>();
        transcript.path("request").path("params").forEach(p -> {
            fields.add(p.get(0).asText());
            fields.add(p.get(0).asText().equals("wstoken") ? TOKEN : p.get(1).asText());
        });

        JsonNode answer = send(fields);

        assertThat(answer.size()).isEqualTo(125);
        assertThat(moodle.site().userByUsername("apit.miw124")).hasValueSatisfying(u -> assertThat(u.idnumber())
                .isEmpty());
        assertThat(moodle.site().userByUsername("apit.miw125")).isEmpty();
    }

    @Test
    void aBodyOverPostMaxSizeIsAnsweredInvalidtokenInXmlAndOverNginxsLimit413() throws Exception {
        moodle.postMaxSize(1024 * 1024);
        List<String> big = new ArrayList<>(createCourse("APIT-BIG", "APIT-C-BIG"));
        big.addAll(List.of("courses[0][summary]", "x".repeat(2 * 1024 * 1024)));
        HttpResponse<String> dropped = raw(big);
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(dropped.body()).startsWith("<?xml").contains("<ERRORCODE>invalidtoken</ERRORCODE>");

        moodle.clientMaxBodySize(1024 * 1024);
        HttpResponse<String> tooLarge = raw(big);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("413 Request Entity Too Large");
        assertThat(moodle.site().courseByShortname("APIT-BIG")).isEmpty();
    }

    @Test
    void withDebuggingOnAnErrorCarriesItsDebuginfo() throws Exception {
        moodle.debugging(true);
        JsonNode answer = post(createUser("apit.d", "not-an-email"));
        assertThat(answer.path("debuginfo").asText()).isEqualTo("Email address is invalid: not-an-email");
    }

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private void assertRefusal(Consumer<MoodleEmulator> fault, String errorcode, String message,
            Consumer<MoodleEmulator> heal) throws Exception {
        fault.accept(moodle);
        JsonNode answer = post(createUser("apit.x" + errorcode, errorcode + "@example.com"));
        assertThat(answer.path("errorcode").asText()).as(errorcode).isEqualTo(errorcode);
        assertThat(answer.path("message").asText()).as(errorcode).isEqualTo(message);
        heal.accept(moodle);
        assertThat(post(List.of("wsfunction", "core_webservice_get_site_info")).has("sitename")).isTrue();
    }

    private static List<String> createUser(String username, String email) {
        return List.of("wsfunction", "core_user_create_users", "users[0][username]", username,
                "users[0][firstname]", "First", "users[0][lastname]", "Last", "users[0][email]", email,
                "users[0][createpassword]", "1");
    }

    private static List<String> createCourse(String shortname, String idnumber) {
        return List.of("wsfunction", "core_course_create_courses", "courses[0][fullname]", "Course",
                "courses[0][shortname]", shortname, "courses[0][categoryid]", "2", "courses[0][idnumber]", idnumber);
    }

    private static List<String> enrol(long user, long course) {
        return List.of("wsfunction", "enrol_manual_enrol_users", "enrolments[0][roleid]", "5",
                "enrolments[0][userid]", Long.toString(user), "enrolments[0][courseid]", Long.toString(course));
    }

    private CompletableFuture<JsonNode> async(List<String> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return post(call);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private JsonNode post(List<String> call) throws Exception {
        List<String> fields = new ArrayList<>(List.of("wstoken", TOKEN, "moodlewsrestformat", "json"));
        fields.addAll(call);
        return send(fields);
    }

    private JsonNode send(List<String> fields) throws Exception {
        return JSON.readTree(raw(fields).body());
    }

    private HttpResponse<String> raw(List<String> call) throws Exception {
        List<String> fields = new ArrayList<>(call);
        if (!fields.contains("wstoken")) {
            fields.addAll(0, List.of("wstoken", TOKEN, "moodlewsrestformat", "json"));
        }
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < fields.size(); i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(fields.get(i), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(fields.get(i + 1), StandardCharsets.UTF_8));
        }
        return http.send(HttpRequest.newBuilder(URI.create(moodle.url() + MoodleEmulator.REST_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode transcript(String name) throws Exception {
        try (InputStream in = MoodleFaultsTest.class.getResourceAsStream("/moodle-transcripts/" + name + ".json")) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
