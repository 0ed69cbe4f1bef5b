package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.Test;

/**
 * moodle.user.auth names a plugin the Moodle site does not have (saml2 is the third-party auth_saml2, not in a
 * standard Moodle): Moodle refuses every account with invalidparameter and no reason (transcript 288). That is the
 * integration's configuration, not the learners' records. One refusal cannot tell the two apart, a second user refused
 * alone can: the first is dead-lettered with a sentence naming the setting too, then sending pauses with a sentence
 * naming the setting.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.pause-probe-period-ms=200",
        "grades.enabled=false",
        "moodle.user.auth=saml2"})
class SingleSignOnPluginMissingTest extends SyncTestSupport {

    @BeanInject("syncPause")
    SyncPause syncPause;

    @Test
    void aPluginTheSiteDoesNotHavePausesSendingWithASentenceNamingTheSetting() {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(10, "Fire Safety");
        for (long id = 10; id < 13; id++) {
            accessplanit.user(id, "Learner", "Number " + id, "learner" + id + "@example.org");
            accessplanit.delegate(id, id, 10, "BOOKED");
        }

        // A setting Moodle refuses: sending pauses until a restart reads the fixed setting.
        AtomicReference<String> reason = new AtomicReference<>();
        eventually().until(() -> {
            reason.set(syncPause.reason());
            return reason.get() != null;
        });

        assertThat(reason.get()).contains("moodle.user.auth", "MOODLE_USER_AUTH", "'saml2'",
                "installed and enabled");
        // Moodle was asked, with the plugin, and made no account.
        RecordedCall create = moodle.calls().stream().filter(call -> call.wsfunction().equals("core_user_create_users"))
                .findFirst().orElseThrow();
        assertThat(create.param("users[0][auth]")).isEqualTo("saml2");
        assertThat(moodle.site().users()).noneMatch(user -> user.auth().equals("saml2"));
        // The first user refused alone could have been the record: dead-lettered, its sentence naming the setting
        // too. The second is the evidence. The others are neither dead-lettered nor done: they wait for the setting.
        assertThat(db.rows("SELECT error_message FROM dead_letter WHERE entity_type = 'user'")).singleElement()
                .satisfies(row -> assertThat(row.get("error_message").toString()).contains("moodle.user.auth ('saml2')"));
        assertThat(db.count("SELECT count(*) FROM users WHERE moodle_id IS NOT NULL")).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'user'"
                + " AND state = 'DONE'")).isZero();
    }
}
