package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A catalogue of bad accessplanit rows, all in one poll with good ones beside them: each bad record ends in the
 * dead-letter queue with a sentence a training administrator understands (found before any call to Moodle where
 * it can be seen locally, else with Moodle's own error code and message), and every good record is synced.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200"})
class BadInputTest extends SyncTestSupport {

    private static final OffsetDateTime START = OffsetDateTime.parse("2027-05-03T09:00:00Z");

    @Test
    void eachBadRecordIsDeadLetteredWithAReasonAndEveryGoodOneIsSynced() {
        Accessplanit accessplanit = new Accessplanit(db);
        // Someone already in Moodle whose email and username clash with accessplanit users.
        moodle.site().addUser("apit.1010", "Other", "Person", "other.person@example.com");
        moodle.site().addUser("someone.else", "Taken", "Email", "taken@example.com");

        accessplanit.classroomCourse(1000, "Good course");
        accessplanit.template(1020, "aims", null);
        accessplanit.course(1020, 1020, "L".repeat(300), "CLASSROOM", START, null, true, null);
        accessplanit.course(1021, 1020, "No start date", "WEBINAR", null, null, true, null);
        accessplanit.course(1022, 1020, "Ends before it starts", "CLASSROOM", START, START.minusDays(1), true, null);
        accessplanit.course(1023, 1020, "E-learning, template without Moodle id", "ELEARNING", null, null, true, null);
        accessplanit.course(1024, 1020, "Good course too", "WEBINAR", START, START.plusHours(2), true, null);
        accessplanit.template(1025, "aims", 999_999L); // a Moodle course id that Moodle does not have
        accessplanit.course(1025, 1025, "E-learning on a missing Moodle course", "ELEARNING", null, null, false, null);

        accessplanit.user(1001, "Good", "One", "good.one@example.com");
        accessplanit.user(1002, "No", "Email", null);
        accessplanit.user(1003, "Malformed", "Email", "judy@example");
        accessplanit.user(1004, "Empty", "", "empty.surname@example.com");
        accessplanit.user(1005, "  ", "Blank", "blank.forenames@example.com");
        accessplanit.user(1006, "F".repeat(101), "Long", "long.forenames@example.com");
        accessplanit.user(1007, "Long", "Email", "x".repeat(95) + "@example.com");
        accessplanit.user(1008, "Good", "Two", "good.two@example.com");
        accessplanit.user(1009, "Taken", "Email", "taken@example.com");
        accessplanit.user(1010, "Taken", "Username", "taken.username@example.com");
        for (long user = 1001; user <= 1010; user++) {
            accessplanit.delegate(user, user, 1000, "BOOKED");
        }
        accessplanit.delegate(1030, 1008, 1025, "BOOKED");

        Map<String, String> expected = Map.ofEntries(
                Map.entry("user/1002", "noemail"),
                Map.entry("user/1003", "invalidemail"),
                Map.entry("user/1004", "nosurname"),
                Map.entry("user/1005", "noforenames"),
                Map.entry("user/1006", "forenamestoolong"),
                Map.entry("user/1007", "emailtoolong"),
                // Found before any create: Moodle holds the email for another account.
                Map.entry("user/1009", "emailtaken"),
                Map.entry("user/1010", "usernametaken"),
                Map.entry("course/1020", "labeltoolong"),
                Map.entry("course/1021", "nostartdate"),
                Map.entry("course/1022", "endbeforestart"),
                Map.entry("course/1023", "elearningtemplatewithoutmoodleid"),
                Map.entry("enrolment/1030", "invalidparameter"));
        eventually().until(() -> db.count("SELECT count(*) FROM dead_letter") == expected.size()
                && db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'") == 2
                && accessplanit.courseMoodleId(1024) != null);

        for (var entry : db.rows("SELECT * FROM dead_letter")) {
            String record = entry.get("entity_type") + "/" + entry.get("entity_id");
            assertThat(expected).as("dead-lettered " + record).containsKey(record);
            assertThat(entry).as(record).containsEntry("error_code", expected.get(record))
                    .containsEntry("state", "OPEN").containsEntry("error_class", "bad-data");
            assertThat(entry.get("error_message").toString()).as(record).isNotBlank().doesNotContain(TOKEN);
            assertThat(accessplanit.syncState(entry.get("entity_type").toString(), (Long) entry.get("entity_id")))
                    .isEqualTo("FAILED");
        }
        assertThat(db.value("SELECT error_message FROM dead_letter WHERE entity_id = 1021")).isEqualTo(
                "The course has no start date.");
        assertThat(db.value("SELECT error_message FROM dead_letter WHERE entity_id = 1020").toString())
                .contains("300 characters").contains("254");
        assertThat(db.value("SELECT error_message FROM dead_letter WHERE entity_id = 1010").toString())
                .contains("apit.1010").contains("another person");
        // Found locally: nothing of theirs was sent to Moodle.
        assertThat(moodle.calls()).noneMatch(call -> call.params().stream().anyMatch(p -> p.getValue().equals("judy@example")
                || p.getValue().equals("L".repeat(300))));

        // The good records beside them.
        assertThat(accessplanit.userMoodleId(1001)).isNotNull();
        assertThat(accessplanit.userMoodleId(1008)).isNotNull();
        assertThat(moodle.site().isEnrolled(accessplanit.userMoodleId(1001), accessplanit.courseMoodleId(1000))).isTrue();
        assertThat(moodle.site().isEnrolled(accessplanit.userMoodleId(1008), accessplanit.courseMoodleId(1000))).isTrue();
        assertThat(moodle.site().courseByIdnumber("APIT-C-1024")).isPresent();
        for (long user = 1002; user <= 1010; user++) {
            if (user != 1008) {
                assertThat(accessplanit.userMoodleId(user)).as("user " + user).isNull();
            }
        }
        assertNothingLostAndNothingTwice();
    }
}
