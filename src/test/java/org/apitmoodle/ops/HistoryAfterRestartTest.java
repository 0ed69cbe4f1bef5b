package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.SyncTestSupport;
import org.apitmoodle.sync.SyncPause;
import org.junit.jupiter.api.Test;

/**
 * The status page's last 24 hours are the integration's own table, not memory: an instance restarted shows what
 * the one before it synced, and the pause it was stopped in.
 */
class HistoryAfterRestartTest extends SyncTestSupport {

    private static final Map<String, String> SETTINGS = Map.of("sync.poll-period-ms", "200",
            "ops.refresh-period-ms", "200", "sync.pause-probe-period-ms", "600000", "camel.main.shutdown-timeout", "1");

    @Test
    void aRestartKeepsTheHoursAndThePauseItWasStoppedIn() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        accessplanit.classroomCourse(500, "Working at Height");
        for (long id = 501; id <= 503; id++) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
            accessplanit.delegate(id, id, 500, "BOOKED");
        }

        try (Instance before = Instance.start("before-restart", SETTINGS)) {
            eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                    + " AND state = 'DONE' AND entity_id BETWEEN 501 AND 503") == 3);
            SyncPause pause = before.context().getRegistry().lookupByNameAndType("syncPause", SyncPause.class);
            pause.pause("Moodle is in maintenance");
            Instant pausedAt = pause.since();
            eventually().until(() -> Instant.now().isAfter(pausedAt.plusSeconds(2)));
        }   // stopped while paused: the pause so far is noted as it stops

        try (Instance after = Instance.start("after-restart", SETTINGS)) {
            SyncHistory history = after.context().getRegistry().lookupByNameAndType("syncHistory", SyncHistory.class);
            eventually().until(() -> history.hours().size() == 24);
            List<SyncHistory.Hour> hours = history.hours();
            // A course, three users and their three enrolments (and the course's group, when it has one).
            assertThat(hours.stream().mapToLong(SyncHistory.Hour::synced).sum()).isGreaterThanOrEqualTo(7);
            assertThat(hours.stream().mapToLong(SyncHistory.Hour::pausedSeconds).sum()).isGreaterThanOrEqualTo(2);

            String page = after.context().getRegistry().lookupByNameAndType("statusPage", StatusPage.class).render();
            assertThat(page).containsPattern("\\d\\d:00–\\d\\d:00: [1-9]\\d* synced, ")
                    .containsPattern("dead-lettered, [1-9] min paused");
        }
    }
}
