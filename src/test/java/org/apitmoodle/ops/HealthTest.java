package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /observe/health on the management server: the database, Moodle (asked on a schedule), the sync's pause and the
 * dead-letter queue, each in the state an operator must see.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200", "ops.moodle-check-period-ms=200", "ops.refresh-period-ms=200",
        "ops.dead-letter-warning-threshold=2", "retry.maximum-redeliveries=0"})
class HealthTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    Observe observe;

    @BeforeEach
    void probe() {
        observe = new Observe(managementPort);
        moodle.comeUp();
        moodle.restoreToken();
    }

    @Test
    void readyWhenTheDatabaseAndMoodleAnswer() {
        eventually().until(() -> observe.health("/ready").check("moodle").path("status").asText().equals("UP"));

        Observe.Health ready = observe.health("/ready");
        assertThat(ready.httpStatus()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo("UP");
        assertThat(ready.check("database").path("status").asText()).isEqualTo("UP");
        assertThat(ready.check("sync").path("status").asText()).isEqualTo("UP");
        assertThat(ready.check("dead-letter-queue").path("status").asText()).isEqualTo("UP");
        assertThat(ready.check("dead-letter-queue").has("message")).isFalse();
        assertThat(observe.health("").status()).isEqualTo("UP");
        assertThat(moodle.callCount("core_webservice_get_site_info")).isPositive();
    }

    @Test
    void theOperatorsRoutesDoNotExistWhileTheirServerIsOffSoNoneIsReportedUp() {
        eventually().until(() -> observe.health("/ready").status().equals("UP"));
        String health = observe.health("").json().toString();

        assertThat(health).as("route checks are listed").contains("poll-user");
        for (String route : new String[] {"list-dead-letters", "replay-dead-letter", "dead-letter-queue-page", "status-page"}) {
            assertThat(context.getRoute(route)).as(route).isNull();
            assertThat(health).as(route).doesNotContain(route);
        }
    }

    @Test
    void notReadyWhileMoodleIsDown() {
        eventually().until(() -> observe.health("/ready").status().equals("UP"));

        moodle.goDown();

        eventually().until(() -> observe.health("/ready").check("moodle").path("status").asText().equals("DOWN"));
        Observe.Health ready = observe.health("/ready");
        assertThat(ready.httpStatus()).isEqualTo(503);
        assertThat(ready.status()).isEqualTo("DOWN");
        assertThat(ready.check("moodle").path("message").asText()).contains("cannot be reached");
        assertThat(observe.health("/live").status()).as("a restart would not bring Moodle back").isEqualTo("UP");

        moodle.comeUp();
        eventually().until(() -> observe.health("/ready").status().equals("UP"));
    }

    @Test
    void notReadyWhenMoodleRefusesTheToken() {
        eventually().until(() -> observe.health("/ready").status().equals("UP"));

        moodle.revokeToken();

        eventually().until(() -> observe.health("/ready").check("moodle").path("status").asText().equals("DOWN"));
        String message = observe.health("/ready").check("moodle").path("message").asText();
        assertThat(message).contains("invalidtoken").contains("moodle.token").doesNotContain(TOKEN);
    }

    @Test
    void notReadyWhileTheSyncIsPausedAndSaysWhy() {
        eventually().until(() -> observe.health("/ready").status().equals("UP"));
        SyncPause pause = context.getRegistry().lookupByNameAndType("syncPause", SyncPause.class);

        pause.pause("Moodle refused the token (invalidtoken)");

        Observe.Health ready = observe.health("/ready");
        assertThat(ready.status()).isEqualTo("DOWN");
        assertThat(ready.check("sync").path("status").asText()).isEqualTo("DOWN");
        assertThat(ready.check("sync").path("message").asText()).contains("paused").contains("invalidtoken");
        assertThat(observe.health("/live").status()).isEqualTo("UP");

        pause.resume();
        assertThat(observe.health("/ready").check("sync").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void notReadyWhenTheDatabaseCannotBeQueried() {
        eventually().until(() -> observe.health("/ready").status().equals("UP"));

        // The pool stops answering, as it does when PostgreSQL is gone.
        context.getRegistry().lookupByNameAndType("accessplanitDb", HikariDataSource.class).close();

        eventually().until(() -> observe.health("/ready").check("database").path("status").asText().equals("DOWN"));
        assertThat(observe.health("/ready").check("database").path("message").asText())
                .contains("accessplanit database cannot be queried");
        assertThat(observe.health("/ready").httpStatus()).isEqualTo(503);
    }

    @Test
    void openDeadLettersOverTheThresholdAreAWarningNotAnOutage() {
        for (long user = 1; user <= 3; user++) {
            db.update("INSERT INTO dead_letter (entity_type, entity_id, moodle_function, error_class, error_code,"
                    + " error_message) VALUES ('user', ?, 'core_user_create_users', 'bad-data', 'invalidemail', 'bad')", user);
        }

        eventually().until(() -> observe.health("/ready").check("dead-letter-queue").has("message"));
        Observe.Health ready = observe.health("/ready");
        assertThat(ready.check("dead-letter-queue").path("status").asText()).isEqualTo("UP");
        assertThat(ready.check("dead-letter-queue").path("message").asText())
                .startsWith("WARNING: 3 open dead-letter entries, over the threshold of 2");
        assertThat(ready.status()).isEqualTo("UP");

        db.update("UPDATE dead_letter SET state = 'DISCARDED', discard_reason = 'test'");
        eventually().until(() -> !observe.health("/ready").check("dead-letter-queue").has("message"));
    }
}
