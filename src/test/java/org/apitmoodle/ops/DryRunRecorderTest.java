package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.sync.Batch;
import org.apitmoodle.sync.Operation;
import org.junit.jupiter.api.Test;

/** The dry run's decisions and report, without Camel. */
class DryRunRecorderTest {

    @Test
    void onlyFunctionsThatReadReachMoodleInADryRun() {
        assertThat(call("core_course_create_courses").writes()).isTrue();
        assertThat(call("core_user_create_users").writes()).isTrue();
        assertThat(call("enrol_manual_enrol_users").writes()).isTrue();
        assertThat(call("core_course_update_courses").writes()).isTrue();
        assertThat(call("core_webservice_get_site_info").writes()).isFalse();
        assertThat(call("core_user_get_users_by_field").writes()).isFalse();
    }

    private static MoodleCall call(String function) {
        return new MoodleCall(function, Map.of());
    }

    @Test
    void countsEachRecordOnceAndKeepsTheFirstRecordsParametersWithTheTokenMasked() {
        DryRun dryRun = new DryRun(true, 2);
        List<Map<String, Object>> batch = List.of(Map.of("user_id", 1L), Map.of("user_id", 2L), Map.of("user_id", 3L));
        Map<String, Object> request = Map.of("users", List.of(
                Map.of("username", "apit.1"), Map.of("username", "apit.2"), Map.of("username", "apit.3")));

        MoodleCall create = new MoodleCall("core_user_create_users", request);

        List<Map<String, Object>> released = dryRun.record(Batch.of(Operation.USER, batch), create);
        dryRun.record(Batch.of(Operation.USER, batch), create);

        assertThat(released).containsExactly(Map.of("entity_type", "user", "entity_id", 1L),
                Map.of("entity_type", "user", "entity_id", 2L), Map.of("entity_type", "user", "entity_id", 3L));
        assertThat(dryRun.counts()).containsExactly(Map.entry("user", 3));
        assertThat(dryRun.samples("user")).hasSize(2);
        assertThat(dryRun.samples("user").get(1)).containsExactly(Map.entry("wstoken", DryRun.MASKED_TOKEN),
                Map.entry("wsfunction", "core_user_create_users"), Map.entry("moodlewsrestformat", "json"),
                Map.entry("users[0][username]", "apit.2"));
        assertThat(dryRun.hasNews()).isTrue();
        assertThat(dryRun.report()).contains("user: 3 record(s) with core_user_create_users, ids [1, 2, 3]")
                .contains("wstoken=********&wsfunction=core_user_create_users&moodlewsrestformat=json&users[0][username]=apit.1");
        assertThat(dryRun.hasNews()).isFalse();
    }
}
