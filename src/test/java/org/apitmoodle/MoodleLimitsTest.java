package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Requests stay within PHP's max_input_vars, and values Moodle 4.1 would refuse are refused before sending, with
 * a sentence: against an emulated Moodle whose PHP keeps at most 100 form fields.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "moodle.max-input-vars=100",
        "sync.user-batch-size=50", "sync.course-batch-size=50"})
class MoodleLimitsTest extends SyncTestSupport {

    @Test
    void aBatchBiggerThanMaxInputVarsIsSentInPartsWithNothingLost() {
        // Without the cut, PHP would keep 101 of the 353 fields: Moodle would create 14 users and answer success.
        moodle.maxInputVars(100);
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(100, "Max vars course");
        // Ticked once every booking is in, so one poll claims all 50 users.
        db.update("UPDATE courses SET sync_to_moodle = false WHERE id = 100");
        for (long user = 1; user <= 50; user++) {
            accessplanit.user(user, "Max", "Vars " + user, "miv" + user + "@example.com");
            accessplanit.delegate(user, user, 100, "BOOKED");
        }
        db.update("UPDATE courses SET sync_to_moodle = true WHERE id = 100");

        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE' AND entity_id <= 50") == 50);

        List<RecordedCall> creates = moodle.calls().stream()
                .filter(call -> call.wsfunction().equals("core_user_create_users"))
                .filter(call -> !call.param("users[0][username]").equals("apit.203")).toList();
        // 7 fields a user beside wstoken, wsfunction and moodlewsrestformat: 13 users (94 fields) a call.
        assertThat(creates).allSatisfy(call -> assertThat(call.params().size() + 1).isLessThanOrEqualTo(100));
        assertThat(creates).hasSize(4);
        // 3 fields an enrolment: 32 a call.
        List<RecordedCall> enrols = moodle.calls().stream()
                .filter(call -> call.wsfunction().equals("enrol_manual_enrol_users"))
                .filter(call -> call.param("enrolments[0][courseid]").equals(
                        accessplanit.courseMoodleId(100).toString())).toList();
        assertThat(enrols).allSatisfy(call -> assertThat(call.params().size() + 1).isLessThanOrEqualTo(100));
        // At least 2 calls (50 enrolments at 32 a call); more when a poll found only the users created so far.
        assertThat(enrols.size()).isGreaterThanOrEqualTo(2);
        assertThat(enrols.stream().mapToLong(call -> call.params().stream()
                .filter(field -> field.getKey().startsWith("enrolments[") && field.getKey().endsWith("][userid]")).count()).sum())
                .as("enrolments sent").isEqualTo(50);
        assertThat(moodle.site().enrolments()).filteredOn(e -> e.courseId() == accessplanit.courseMoodleId(100))
                .hasSize(50);
        for (long user = 1; user <= 50; user++) {
            Long moodleId = accessplanit.userMoodleId(user);
            assertThat(moodleId).as("user " + user).isNotNull();
            assertThat(moodle.site().userById(moodleId).orElseThrow().username()).isEqualTo("apit." + user);
        }
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_id <= 100")).isZero();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void valuesMoodleWouldRefuseAreRefusedBeforeSendingWithASentence() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.user(201, "Bad", "Domain", "a@exa_mple.com");
        accessplanit.user(202, "Gina", "<b>Bold</b>", "gina@example.com");
        accessplanit.user(203, "Zoë", "O'Brien", "Zoe.O'Brien+training@example.org");
        accessplanit.classroomCourse(301, "Fire Safety <Level 2>");
        accessplanit.classroomCourse(302, "Health & Safety");
        for (long user = 201; user <= 203; user++) {
            accessplanit.delegate(user, user, 302, "BOOKED");
        }

        eventually().until(() -> db.count("SELECT count(*) FROM dead_letter WHERE entity_id > 200") == 3
                && accessplanit.userMoodleId(203) != null && accessplanit.courseMoodleId(302) != null);

        Map<String, Object> email = db.rows("SELECT * FROM dead_letter WHERE entity_id = 201").get(0);
        assertThat(email).containsEntry("error_code", "invalidemail").containsEntry("error_class", "bad-data");
        assertThat(email.get("error_message")).isEqualTo("The user's email address 'a@exa_mple.com' is not one"
                + " Moodle accepts: Moodle refuses accented letters and spaces, more than 64 characters before the @,"
                + " and a domain not written like example.org. Correct it in accessplanit, then replay.");
        // The label in angle brackets: dead-lettered naming the field and the characters (README, "Failures").
        assertThat(db.rows("SELECT error_code, error_message FROM dead_letter WHERE entity_id = 301")).containsExactly(
                Map.of("error_code", "markupinlabel", "error_message", "The course label contains '<Level 2>', which"
                        + " Moodle takes for web-page markup and refuses. Remove the angle brackets (< and >) in"
                        + " accessplanit, then replay."));
        assertThat(db.value("SELECT error_code FROM dead_letter WHERE entity_id = 202")).isEqualTo("markupinsurname");

        // Nothing of theirs reached Moodle; the good ones beside them did.
        assertThat(moodle.calls()).noneMatch(call -> call.params().stream().anyMatch(p ->
                p.getValue().equals("a@exa_mple.com") || p.getValue().contains("<Level 2>")
                        || p.getValue().contains("<b>")));
        assertThat(moodle.site().users()).noneMatch(u -> u.email().equals("a@exa_mple.com")
                || u.lastname().contains("Bold"));
        assertThat(moodle.site().courses()).noneMatch(c -> c.fullname().contains("Level 2"));
        assertThat(moodle.site().courseById(accessplanit.courseMoodleId(302)))
                .hasValueSatisfying(c -> assertThat(c.fullname()).isEqualTo("Health & Safety"));
        assertThat(moodle.site().userById(accessplanit.userMoodleId(203)))
                .hasValueSatisfying(u -> assertThat(u.email()).isEqualTo("Zoe.O'Brien+training@example.org"));
        assertNothingLostAndNothingTwice();
    }
}
