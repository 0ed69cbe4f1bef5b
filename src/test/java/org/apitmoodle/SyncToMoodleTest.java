package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The create path end to end: rows inserted in the accessplanit tables become courses, users and enrolments in
 * Moodle (the emulator), and the Moodle ids come back to accessplanit. Each test uses its own ids.
 */
// The grade poll and the date push are tested on their own (GradesFromMoodleTest, CourseDatesToMoodleTest):
// their calls would change the call counts compared here.
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "course-dates.enabled=false"})
class SyncToMoodleTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @Test
    void withNoInstanceIdSetAClaimNamesTheHostAndProcess() {
        accessplanit.classroomCourse(90, "Claimed by this process");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("course", 90)));

        String claimedBy = (String) db.value("SELECT claimed_by FROM sync_state WHERE entity_type = 'course'"
                + " AND entity_id = 90");
        assertThat(claimedBy).isEqualTo(context.getRegistry().lookupByNameAndType(Settings.BEAN, Settings.class)
                .sync().instanceId()).endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void classroomAndWebinarCoursesAreCreatedWithTheirMoodleIdWrittenBack() {
        ZoneId london = ZoneId.of("Europe/London");
        OffsetDateTime start = ZonedDateTime.of(2027, 3, 29, 9, 0, 0, 0, london).toOffsetDateTime(); // BST starts 28 March
        OffsetDateTime end = ZonedDateTime.of(2027, 3, 30, 17, 0, 0, 0, london).toOffsetDateTime();
        accessplanit.template(10, "<p>Prevent fires.</p>", null);
        accessplanit.course(10, 10, "Fire Safety - Leeds", "CLASSROOM", start, end, true, null);
        accessplanit.template(11, "<p>First aid.</p>", null);
        accessplanit.course(11, 11, "First Aid - online", "WEBINAR", start, null, true, null);

        eventually().until(() -> accessplanit.courseMoodleId(10) != null && accessplanit.courseMoodleId(11) != null);

        var classroom = site.courseByIdnumber("APIT-C-10").orElseThrow();
        assertThat(accessplanit.courseMoodleId(10)).isEqualTo(classroom.id());
        assertThat(classroom.fullname()).isEqualTo("Fire Safety - Leeds");
        assertThat(classroom.shortname()).isEqualTo("APIT-10");
        assertThat(classroom.summary()).isEqualTo("<p>Prevent fires.</p>");
        assertThat(classroom.categoryId()).isEqualTo(CATEGORY);
        assertThat(classroom.startdate()).isEqualTo(start.toEpochSecond()).isEqualTo(1806307200L);
        assertThat(classroom.enddate()).isEqualTo(end.toEpochSecond());
        var webinar = site.courseByIdnumber("APIT-C-11").orElseThrow();
        assertThat(accessplanit.courseMoodleId(11)).isEqualTo(webinar.id());
        assertThat(webinar.fullname()).isEqualTo("First Aid - online");
        assertThat(accessplanit.syncState("course", 10)).isEqualTo("DONE");
    }

    @Test
    void aCourseWithAMoodleIdOrWithoutSyncToMoodleIsNeverCreated() {
        long typedIn = site.addCourse("EXISTING-20", "Already in Moodle", "", CATEGORY).id();
        accessplanit.template(20, "aims", null);
        accessplanit.course(20, 20, "Typed-in Moodle id", "CLASSROOM", OffsetDateTime.parse("2027-01-01T09:00:00Z"), null,
                true, typedIn);
        accessplanit.course(21, 20, "Not ticked", "CLASSROOM", OffsetDateTime.parse("2027-01-01T09:00:00Z"), null,
                false, null);
        accessplanit.course(22, 20, "E-learning", "ELEARNING", null, null, true, null);
        accessplanit.course(23, 20, "Control: ticked", "WEBINAR", OffsetDateTime.parse("2027-01-01T09:00:00Z"), null,
                true, null);

        eventually().until(() -> accessplanit.courseMoodleId(23) != null);
        awaitPolls("poll-course", 3);

        assertThat(site.courseByIdnumber("APIT-C-20")).isEmpty();
        assertThat(site.courseByIdnumber("APIT-C-21")).isEmpty();
        assertThat(site.courseByIdnumber("APIT-C-22")).isEmpty();
        assertThat(accessplanit.courseMoodleId(20)).isEqualTo(typedIn);
        assertThat(accessplanit.courseMoodleId(21)).isNull();
    }

    @Test
    void aBookedUserIsCreatedSoMoodleMailsTheLoginAndEnrolledWithTheConfiguredRole() {
        accessplanit.classroomCourse(30, "Manual Handling");
        accessplanit.user(30, "Alice Jane", "Anderson", "alice.anderson@example.com");
        accessplanit.delegate(30, 30, 30, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 30)));

        var alice = site.userByUsername("apit.30").orElseThrow();
        assertThat(accessplanit.userMoodleId(30)).isEqualTo(alice.id());
        assertThat(alice.firstname()).isEqualTo("Alice Jane");
        assertThat(alice.lastname()).isEqualTo("Anderson");
        assertThat(alice.email()).isEqualTo("alice.anderson@example.com");
        assertThat(alice.auth()).isEqualTo("manual");
        RecordedCall create = moodle.calls().stream()
                .filter(call -> call.wsfunction().equals("core_user_create_users")
                        && call.params().contains(Map.entry("users[0][username]", "apit.30")))
                .findFirst().orElseThrow();
        assertThat(create.params()).contains(Map.entry("users[0][createpassword]", "1"))
                .noneMatch(param -> param.getKey().endsWith("[password]"));
        long course = accessplanit.courseMoodleId(30);
        assertThat(site.enrolments()).anySatisfy(enrolment -> {
            assertThat(enrolment.userId()).isEqualTo(alice.id());
            assertThat(enrolment.courseId()).isEqualTo(course);
            assertThat(enrolment.roleId()).isEqualTo(STUDENT_ROLE);
        });
    }

    @Test
    void eLearningBookingsEnrolOnTheTemplatesMoodleCourse() {
        long elearning = site.addCourse("ELEARN-40", "GDPR e-learning", "ELEARN-40", CATEGORY).id();
        accessplanit.template(40, "aims", elearning);
        accessplanit.course(40, 40, "GDPR (e-learning)", "ELEARNING", null, null, false, null);
        accessplanit.user(40, "Bob", "Brown", "bob.brown@example.com");
        accessplanit.delegate(40, 40, 40, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 40)));

        assertThat(site.isEnrolled(accessplanit.userMoodleId(40), elearning)).isTrue();
        assertThat(site.courseByIdnumber("APIT-C-40")).as("an e-learning course is never created").isEmpty();
    }

    @Test
    void usersNotBookedOntoAMoodleCourseAndCancelledBookingsAreNeverSent() {
        accessplanit.template(50, "aims", null);
        accessplanit.course(50, 50, "Not ticked", "CLASSROOM", OffsetDateTime.parse("2027-01-01T09:00:00Z"), null,
                false, null);
        accessplanit.classroomCourse(51, "Ticked");
        accessplanit.user(50, "Frank", "Fisher", "frank@example.com");   // booked only on the unticked course
        accessplanit.user(51, "Grace", "Green", "grace@example.com");    // booked and cancelled
        accessplanit.user(52, "Heidi", "Hill", "heidi@example.com");     // control
        accessplanit.delegate(50, 50, 50, "BOOKED");
        accessplanit.delegate(51, 51, 51, "CANCELLED");
        accessplanit.delegate(52, 52, 51, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 52)));
        awaitPolls("poll-user", 3);
        awaitPolls("poll-enrolment", 3);

        assertThat(site.userByUsername("apit.50")).isEmpty();
        assertThat(site.userByUsername("apit.51")).isEmpty();
        assertThat(accessplanit.syncState("enrolment", 51)).isNull();
    }

    @Test
    void nothingIsSentTwiceAcrossRepeatedPolls() {
        accessplanit.classroomCourse(60, "Course A");
        accessplanit.classroomCourse(61, "Course B");
        for (long user = 60; user < 66; user++) {
            accessplanit.user(user, "User", "Number " + user, "user" + user + "@example.com");
            accessplanit.delegate(user, user, user % 2 == 0 ? 60 : 61, "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND entity_id BETWEEN 60 AND 65 AND state = 'DONE'") == 6);
        Map<String, Integer> callsWhenSynced = moodle.callCounts();
        int courses = site.courses().size();
        int users = site.users().size();
        int enrolments = site.enrolments().size();

        awaitPolls("poll-course", 5);
        awaitPolls("poll-user", 5);
        awaitPolls("poll-enrolment", 5);

        assertThat(moodle.callCounts()).isEqualTo(callsWhenSynced);
        assertThat(site.courses()).hasSize(courses);
        assertThat(site.users()).hasSize(users);
        assertThat(site.enrolments()).hasSize(enrolments);
        assertThat(site.courses()).filteredOn(course -> course.idnumber().startsWith("APIT-C-6")).hasSize(2);
    }

    @Test
    void aBadRecordIsDeadLetteredWhileTheOthersInItsBatchAreSynced() {
        accessplanit.classroomCourse(70, "Course");
        accessplanit.user(70, "Ivan", "Ives", "ivan@example.com");
        accessplanit.user(71, "Judy", "Jones", "judy@example");  // no top-level domain: Moodle rejects it
        accessplanit.user(72, "Ken", "King", "ken@example.com");
        for (long user = 70; user <= 72; user++) {
            accessplanit.delegate(user, user, 70, "BOOKED");
        }

        eventually().until(() -> accessplanit.userMoodleId(70) != null && accessplanit.userMoodleId(72) != null
                && "FAILED".equals(accessplanit.syncState("user", 71)));

        assertThat(accessplanit.userMoodleId(71)).isNull();
        Map<String, Object> entry = db.rows("SELECT * FROM dead_letter WHERE entity_type = 'user' AND entity_id = 71").get(0);
        assertThat(entry).containsEntry("error_class", "bad-data").containsEntry("error_code", "invalidemail")
                .containsEntry("state", "OPEN").containsEntry("moodle_function", "core_user_create_users");
        assertThat(entry.get("error_message").toString()).contains("judy@example");
        assertThat(entry.get("moodle_params").toString()).contains("apit.71").doesNotContain(TOKEN);
        assertThat(site.userByUsername("apit.71")).isEmpty();
    }

    private void awaitPolls(String routeId, int polls) {
        NotifyBuilder notify = new NotifyBuilder(context).fromRoute(routeId).whenCompleted(polls).create();
        assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of " + routeId).isTrue();
    }
}
