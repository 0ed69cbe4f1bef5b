package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The README's run command with no Moodle configured: the demo syncs its data against the built-in emulator. */
class DemoTest {

    @Test
    void withNoMoodleConfiguredTheDemoSyncsItsDataAndWritesTheMoodleIdsBack() throws Exception {
        String database = TestDatabase.PREFIX + "demo";
        try (Instance demo = Instance.start("demo", Map.of("moodle.url", "", "demo.db-name", database,
                "demo.exit-when-synced", "false", "sync.poll-period-ms", "200"))) {
            TestDatabase db = TestDatabase.existing(database);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'") == 5
                            && db.count("SELECT count(*) FROM dead_letter") == 1);

            assertThat(db.count("SELECT count(*) FROM courses WHERE moodle_id IS NOT NULL")).isEqualTo(3);
            assertThat(db.count("SELECT count(*) FROM users WHERE moodle_id IS NOT NULL")).isEqualTo(4);
            assertThat(db.value("SELECT error_code FROM dead_letter")).isEqualTo("invalidemail");
        }
    }
}
