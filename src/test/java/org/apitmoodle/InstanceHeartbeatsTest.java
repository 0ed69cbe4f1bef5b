package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** A restarted instance frees at once the claims of this machine's instances that no longer run. */
class InstanceHeartbeatsTest {

    @Test
    void theInstancesOfThisMachineThatNoLongerRunAndAPreviousProcessUnderThisIdAreMarkedStopped() throws Exception {
        TestDatabase db = TestDatabase.recreate(TestDatabase.PREFIX + "instanceheartbeats");
        db.update("CREATE TABLE sync_instance (instance_id text PRIMARY KEY, heartbeat_at timestamptz NOT NULL)");
        db.update("CREATE TABLE sync_state (entity_type text, entity_id bigint, state text, claimed_by text,"
                + " lease_until timestamptz)");
        db.update("INSERT INTO sync_state VALUES ('user', 1, 'IN_PROGRESS', 'me', now() + interval '1 hour'),"
                + " ('user', 2, 'IN_PROGRESS', 'host-2', now() + interval '1 hour')");
        for (String id : new String[] {"me", "host-1", "host-2", "host-x", "other-1", "hostile-1"}) {
            db.update("INSERT INTO sync_instance VALUES (?, now())", id);
        }
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(db.url());
            pool.setUsername("postgres");
            // Process 1 is gone, process 2 still runs.
            assertThat(InstanceHeartbeats.forgetStopped(pool, "me", "host", pid -> pid == 2))
                    .containsExactlyInAnyOrder("me", "host-1");

            assertThat(db.rows("SELECT instance_id, heartbeat_at = '-infinity' AS stopped FROM sync_instance"
                    + " ORDER BY instance_id")).containsExactly(
                    Map.of("instance_id", "host-1", "stopped", true), Map.of("instance_id", "host-2", "stopped", false),
                    Map.of("instance_id", "host-x", "stopped", false), Map.of("instance_id", "hostile-1", "stopped", false),
                    // This instance is alive from its start: the claims it makes hold at once.
                    Map.of("instance_id", "me", "stopped", false), Map.of("instance_id", "other-1", "stopped", false));
            // What a previous process left claimed under this id is free at once; another instance's claim is not.
            assertThat(db.rows("SELECT entity_id, claimed_by, lease_until <= now() AS free FROM sync_state"
                    + " ORDER BY entity_id")).containsExactly(
                    rowOf(1L, null, true), rowOf(2L, "host-2", false));

            InstanceHeartbeats.stopped(pool, "host-2");
            assertThat(db.value("SELECT heartbeat_at = '-infinity' FROM sync_instance WHERE instance_id = 'host-2'"))
                    .isEqualTo(true);
        }
    }

    private static Map<String, Object> rowOf(long entityId, String claimedBy, boolean free) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("entity_id", entityId);
        row.put("claimed_by", claimedBy);
        row.put("free", free);
        return row;
    }
}
