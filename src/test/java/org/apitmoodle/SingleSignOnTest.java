package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A site whose learners sign in through Microsoft 365 (Moodle's OAuth 2 plugin) by their email: accounts are made
 * with auth oauth2, no password (nothing mailed) and the email as username (issue 14). Each test uses its own ids.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "grades.enabled=false",
        "moodle.user.auth=oauth2",
        "moodle.user.username-from=email"})
class SingleSignOnTest extends SyncTestSupport {

    private static final String CREATE = "core_user_create_users";

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    private void booked(long userId, String email, long courseId) {
        accessplanit.user(userId, "Learner", "Number " + userId, email);
        accessplanit.delegate(userId, userId, courseId, "BOOKED");
    }

    /** The create calls that sent this username. */
    private List<RecordedCall> createCallsFor(String username) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals(CREATE))
                .filter(call -> call.params().stream().anyMatch(p -> p.getKey().endsWith("[username]")
                        && p.getValue().equals(username)))
                .toList();
    }

    @Test
    void aBookedLearnerGetsAnOAuth2AccountNamedByEmailWithoutAPassword() {
        accessplanit.classroomCourse(10, "Fire Safety");
        booked(10, "Alice.Smith@Example.org", 10);

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 10)));

        long moodleId = accessplanit.userMoodleId(10);
        User account = site.userById(moodleId).orElseThrow();
        assertThat(account.username()).isEqualTo("alice.smith@example.org");
        assertThat(account.auth()).isEqualTo("oauth2");
        assertThat(account.idnumber()).isEqualTo("10");
        assertThat(site.isEnrolled(moodleId, accessplanit.courseMoodleId(10))).isTrue();
        // What went to Moodle: the plugin, and neither a password nor createpassword (Moodle mails nothing).
        List<RecordedCall> creates = createCallsFor("alice.smith@example.org");
        assertThat(creates).hasSize(1);
        RecordedCall create = creates.get(0);
        assertThat(create.param("users[0][auth]")).isEqualTo("oauth2");
        assertThat(create.params()).noneMatch(p -> p.getKey().endsWith("[createpassword]")
                || p.getKey().endsWith("[password]"));
        assertThat(accessplanit.syncState("user", 10)).isEqualTo("DONE");
        assertNothingLostAndNothingTwice();
    }

    @Test
    void anEmailChangeInAccessplanitChangesTheUsernameSoTheLinkHolds() {
        accessplanit.classroomCourse(40, "Manual Handling");
        booked(40, "carol@example.org", 40);
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 40)));
        long moodleId = accessplanit.userMoodleId(40);

        db.update("UPDATE users SET email = 'Carol.Jones@Example.org' WHERE id = 40");

        eventually().until(() -> "carol.jones@example.org".equals(site.userById(moodleId).orElseThrow().username()));
        User account = site.userById(moodleId).orElseThrow();
        assertThat(account.email()).isEqualTo("Carol.Jones@Example.org");
        assertThat(account.idnumber()).isEqualTo("40");
        // The same account, still enrolled: no second one under the new email.
        assertThat(accessplanit.userMoodleId(40)).isEqualTo(moodleId);
        assertThat(site.isEnrolled(moodleId, accessplanit.courseMoodleId(40))).isTrue();
        assertThat(site.users()).filteredOn(user -> user.email().equalsIgnoreCase("carol.jones@example.org")).hasSize(1);
        assertThat(createCallsFor("carol.jones@example.org")).isEmpty();
        RecordedCall update = moodle.calls().stream().filter(call -> call.wsfunction().equals("core_user_update_users"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(update.param("users[0][username]")).isEqualTo("carol.jones@example.org");
        assertNothingLostAndNothingTwice();
    }

    @Test
    void anAccountTheLearnerMadeBySigningInFirstIsAdoptedNotMadeAgain() {
        // Bob signed in through Microsoft 365 before being booked: Moodle made his account, without an ID number.
        long signedIn = site.addUser("bob.jones@example.org", "Bob", "Jones", "bob.jones@example.org", "oauth2").id();
        accessplanit.classroomCourse(20, "First Aid");
        booked(20, "Bob.Jones@example.org", 20);

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 20)));

        assertThat(accessplanit.userMoodleId(20)).isEqualTo(signedIn);
        assertThat(site.isEnrolled(signedIn, accessplanit.courseMoodleId(20))).isTrue();
        assertThat(createCallsFor("bob.jones@example.org")).as("no account made for Bob").isEmpty();
        assertThat(site.users()).filteredOn(user -> user.email().equalsIgnoreCase("bob.jones@example.org"))
                .hasSize(1);
        // Left as Moodle made it: the link is the Moodle id written back, the ID number is not changed.
        assertThat(site.userById(signedIn).orElseThrow().idnumber()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id = 20")).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void twoAccessplanitUsersWithOneEmailCannotBothHaveAnAccountTheSecondIsDeadLettered() {
        accessplanit.classroomCourse(30, "Manual Handling");
        booked(30, "shared.inbox@example.org", 30);
        booked(31, "Shared.Inbox@example.org", 30);

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("user", 31)));
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 30)));

        long moodleId = accessplanit.userMoodleId(30);
        assertThat(accessplanit.userMoodleId(31)).isNull();
        assertThat(site.users()).filteredOn(user -> user.username().equals("shared.inbox@example.org"))
                .singleElement().satisfies(user -> {
                    assertThat(user.id()).isEqualTo(moodleId);
                    assertThat(user.idnumber()).isEqualTo("30");
                });
        var entry = db.rows("SELECT entity_type, error_code, error_message FROM dead_letter WHERE entity_id = 31"
                + " AND state = 'OPEN'");
        assertThat(entry).singleElement().satisfies(row -> {
            assertThat(row.get("entity_type")).isEqualTo("user");
            assertThat(row.get("error_code")).isEqualTo("emailshared");
            assertThat(row.get("error_message").toString()).contains("moodle.user.username-from=email",
                    "accessplanit user 30");
        });
        assertNothingLostAndNothingTwice();
    }
}
