package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moodle keeps one account per email by reading, then inserting, with no lock: two calls at once both pass its
 * check (the emulator does the same). So users who share an email are never in flight together, and an email
 * Moodle already holds for another account is refused before any create, with that account's username.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false",
        "course-dates.enabled=false", "sync.user-batch-size=1", "sync.moodle-calls-in-flight=4",
        "sync.moodle-calls-adaptive=false"})
class SharedEmailTest extends SyncTestSupport {

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @Test
    void twoUsersWithOneEmailNeverMakeTwoAccountsEvenWithCallsSideBySide() {
        accessplanit.classroomCourse(10, "Fire Safety");
        // One person booked twice under two accessplanit users; the email differs in case only.
        accessplanit.user(11, "Ann", "Archer", "ann.archer@example.com");
        accessplanit.user(12, "Ann", "Archer", "Ann.Archer@Example.com");
        accessplanit.user(13, "Bob", "Baker", "bob@example.com");
        for (long id = 11; id <= 13; id++) {
            accessplanit.delegate(id, id, 10, "BOOKED");
        }

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("user", 12))
                && "DONE".equals(accessplanit.syncState("enrolment", 11))
                && "DONE".equals(accessplanit.syncState("enrolment", 13)));

        assertThat(site.users()).filteredOn(u -> u.email().toLowerCase(Locale.ROOT).equals("ann.archer@example.com"))
                .as("Moodle accounts with Ann's email").hasSize(1);
        assertThat(db.value("SELECT error_message FROM dead_letter WHERE entity_type = 'user' AND entity_id = 12"))
                .isEqualTo("The email address Ann.Archer@Example.com is already used by the Moodle account apit.11"
                        + " (Moodle user id " + accessplanit.userMoodleId(11) + ", Ann Archer), and this Moodle site"
                        + " allows one account per email. Give this user their own email in accessplanit, or remove the"
                        + " other account in Moodle, then replay.");
        assertThat(accessplanit.userMoodleId(12)).isNull();
        assertNothingLostAndNothingTwice();
    }

    @Test
    void anEmailMoodleHoldsForAnotherAccountIsRefusedBeforeAnyCreate() {
        long other = site.addUser("jsmith", "Jo", "Smith", "jo.smith@example.com").id();
        int createsBefore = moodle.callCount("core_user_create_users");
        accessplanit.classroomCourse(20, "First Aid");
        accessplanit.user(21, "Joanne", "Smith", "jo.smith@example.com");
        accessplanit.delegate(21, 21, 20, "BOOKED");

        eventually().until(() -> "FAILED".equals(accessplanit.syncState("user", 21)));

        assertThat(db.value("SELECT error_code FROM dead_letter WHERE entity_type = 'user' AND entity_id = 21"))
                .isEqualTo("emailtaken");
        assertThat((String) db.value("SELECT error_message FROM dead_letter WHERE entity_type = 'user'"
                + " AND entity_id = 21")).contains("the Moodle account jsmith (Moodle user id " + other + ", Jo Smith)");
        assertThat(moodle.callCount("core_user_create_users")).as("creates sent").isEqualTo(createsBefore);
        assertThat(site.userByUsername("apit.21")).isEmpty();
        assertNothingLostAndNothingTwice();
    }
}
