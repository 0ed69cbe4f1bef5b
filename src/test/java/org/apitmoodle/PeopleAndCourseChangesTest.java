package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changed people and courses reach Moodle: only the changed fields of a user (core_user_update_users), by Moodle
 * id so the account stays linked when the email changes; a user Moodle warns about is dead-lettered alone; a
 * created course's changed label and aims (core_course_update_courses). Each test uses its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false"})
class PeopleAndCourseChangesTest extends SyncTestSupport {

    private static final String UPDATE_USERS = "core_user_update_users";
    private static final String UPDATE_COURSES = "core_course_update_courses";

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
    void aSurnameChangeSendsTheSurnameOnlyOnce() {
        long moodleId = bookedUser(1, 10, "Alice", "Anderson", "alice@example.org");

        db.update("UPDATE users SET surname = 'Anderson-Smith' WHERE id = 1");

        eventually().until(() -> user(moodleId).lastname().equals("Anderson-Smith"));
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).singleElement().satisfies(call -> assertThat(call.params())
                .filteredOn(param -> param.getKey().startsWith("users")).containsExactly(Map.entry("users[0][id]", Long.toString(moodleId)),
                        Map.entry("users[0][lastname]", "Anderson-Smith")));
        assertThat(user(moodleId)).extracting(User::firstname, User::email).containsExactly("Alice", "alice@example.org");
        assertThat(db.rows("SELECT fields->>'firstname' AS firstname, fields->>'lastname' AS lastname,"
                + " fields->>'email' AS email FROM user_sent WHERE user_id = 1")).containsExactly(
                Map.of("firstname", "Alice", "lastname", "Anderson-Smith", "email", "alice@example.org"));
        assertThat(accessplanit.syncState("user-update", 1)).isEqualTo("DONE");
    }

    @Test
    void anEmailChangeKeepsTheAccountLinked() {
        long moodleId = bookedUser(2, 20, "Bob", "Brown", "bob@example.org");
        int users = site.users().size();

        db.update("UPDATE users SET email = 'bob.brown@example.com' WHERE id = 2");

        eventually().until(() -> user(moodleId).email().equals("bob.brown@example.com"));
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).singleElement().satisfies(call -> assertThat(call.params())
                .filteredOn(param -> param.getKey().startsWith("users")).containsExactly(Map.entry("users[0][id]", Long.toString(moodleId)),
                        Map.entry("users[0][email]", "bob.brown@example.com")));
        assertThat(site.users()).as("the same account, none made").hasSize(users);
        assertThat(user(moodleId).username()).isEqualTo("apit.2");
        assertThat(accessplanit.userMoodleId(2)).isEqualTo(moodleId);

        // Changed again later: sent again (a done update is no end state).
        db.update("UPDATE users SET forenames = 'Robert' WHERE id = 2");
        eventually().until(() -> user(moodleId).firstname().equals("Robert"));
        awaitPolls(3);
        assertThat(updateCalls(moodleId)).hasSize(2);
    }

    @Test
    void anEmailMoodleRefusesDeadLettersThatUserAloneWithASentence() {
        long carol = bookedUser(3, 30, "Carol", "Clark", "carol@example.org");
        long dave = bookedUser(4, 31, "Dave", "Davies", "dave@example.org");
        site.addUser("someone.else", "Someone", "Else", "taken@example.org");

        // One statement: one poll sends both users in one call.
        db.update("UPDATE users SET email = CASE id WHEN 3 THEN 'taken@example.org' ELSE 'dave.davies@example.org' END,"
                + " surname = CASE id WHEN 3 THEN 'Clark-Jones' ELSE surname END WHERE id IN (3, 4)");

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("user-update", 3))
                && "DONE".equals(accessplanit.syncState("user-update", 4)));
        assertThat(user(dave).email()).isEqualTo("dave.davies@example.org");
        assertThat(user(carol)).as("nothing of Carol's update applied")
                .extracting(User::lastname, User::email).containsExactly("Clark", "carol@example.org");
        Map<String, Object> entry = db.rows("SELECT * FROM dead_letter WHERE entity_type = 'user-update'"
                + " AND entity_id = 3").get(0);
        assertThat(entry).containsEntry("error_code", "useremailduplicate").containsEntry("state", "OPEN")
                .containsEntry("moodle_function", UPDATE_USERS);
        assertThat(entry.get("error_message").toString()).contains("another Moodle account already uses the email"
                + " address 'taken@example.org'");
        assertThat(entry.get("moodle_params").toString()).contains("taken@example.org").doesNotContain(TOKEN);
        awaitPolls(3);
        assertThat(updateCalls(carol)).as("a dead-lettered update waits for an operator").hasSize(1);
        assertThat(db.value("SELECT fields->>'email' FROM user_sent WHERE user_id = 3")).isEqualTo("carol@example.org");
    }

    @Test
    void aLabelAndAimsChangeIsSentToTheCourseTheIntegrationCreated() {
        accessplanit.classroomCourse(50, "Fire Safety");
        eventually().until(() -> accessplanit.courseMoodleId(50) != null
                && db.count("SELECT count(*) FROM course_details_sent WHERE course_id = 50") == 1);
        long moodleId = accessplanit.courseMoodleId(50);
        awaitPolls(3);
        assertThat(courseUpdates(moodleId)).as("nothing changed, nothing sent").isEmpty();

        db.update("UPDATE courses SET label = 'Fire Safety (2027)' WHERE id = 50");
        db.update("UPDATE course_templates SET aims = '<p>New aims</p>' WHERE id = 50");

        eventually().until(() -> site.courseById(moodleId).orElseThrow().fullname().equals("Fire Safety (2027)")
                && site.courseById(moodleId).orElseThrow().summary().equals("<p>New aims</p>"));
        awaitPolls(3);
        List<RecordedCall> calls = courseUpdates(moodleId);
        assertThat(calls).hasSizeBetween(1, 2); // the two changes may land in one poll or two
        assertThat(calls.get(calls.size() - 1).params()).filteredOn(param -> param.getKey().startsWith("courses"))
                .allSatisfy(param -> assertThat(param.getKey())
                .matches("courses\\[0]\\[(id|fullname|summary|summaryformat)]"));
        assertThat(site.courseById(moodleId).orElseThrow().shortname()).isEqualTo("APIT-50");
        assertThat(db.rows("SELECT fields->>'fullname' AS fullname, fields->>'summary' AS summary"
                + " FROM course_details_sent WHERE course_id = 50"))
                .containsExactly(Map.of("fullname", "Fire Safety (2027)", "summary", "<p>New aims</p>"));
        assertThat(accessplanit.syncState("course-details", 50)).isEqualTo("DONE");
    }

    @Test
    void aCourseWhoseMoodleIdWasTypedInIsNeverRenamed() {
        long moodleId = site.addCourse("EXISTING-60", "Set up in Moodle", "", CATEGORY).id();
        accessplanit.template(60, "aims", null);
        accessplanit.course(60, 60, "Typed-in", "CLASSROOM", java.time.OffsetDateTime.parse("2027-05-01T09:00:00Z"),
                null, true, moodleId);
        db.update("UPDATE courses SET label = 'Renamed in accessplanit' WHERE id = 60");

        awaitPolls(3);
        assertThat(site.courseById(moodleId).orElseThrow().fullname()).isEqualTo("Set up in Moodle");
        assertThat(courseUpdates(moodleId).stream().filter(call -> call.param("courses[0][fullname]") != null)).isEmpty();
    }

    /** A user booked onto a new classroom course, synced; their Moodle id. */
    private long bookedUser(long id, long courseId, String forenames, String surname, String email) {
        accessplanit.classroomCourse(courseId, "Course " + courseId);
        accessplanit.user(id, forenames, surname, email);
        accessplanit.delegate(courseId * 10, id, courseId, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", courseId * 10))
                && db.count("SELECT count(*) FROM user_sent WHERE user_id = ?", id) == 1);
        return accessplanit.userMoodleId(id);
    }

    private User user(long moodleId) {
        return site.userById(moodleId).orElseThrow();
    }

    private List<RecordedCall> updateCalls(long moodleId) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals(UPDATE_USERS) && call.params().stream()
                .anyMatch(p -> p.getKey().matches("users\\[\\d+]\\[id]") && p.getValue().equals(Long.toString(moodleId))))
                .toList();
    }

    private List<RecordedCall> courseUpdates(long moodleId) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals(UPDATE_COURSES)
                && call.params().stream().anyMatch(p -> p.getKey().matches("courses\\[\\d+]\\[id]")
                        && p.getValue().equals(Long.toString(moodleId)))
                && call.params().stream().noneMatch(p -> p.getKey().endsWith("[startdate]")))
                .toList();
    }

    private void awaitPolls(int polls) {
        for (String route : List.of("poll-user-update", "poll-course-details")) {
            NotifyBuilder notify = new NotifyBuilder(context).fromRoute(route).whenCompleted(polls).create();
            assertThat(notify.matches(90, TimeUnit.SECONDS)).as(polls + " more polls of " + route).isTrue();
        }
    }
}
