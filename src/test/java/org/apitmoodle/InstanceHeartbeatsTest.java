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
                    Map.of("instance_id", "me", "stopped", true), Map.of("instance_id", "other-1", "stopped", false));

            InstanceHeartbeats.stopped(pool, "host-2");
            assertThat(db.value("SELECT heartbeat_at = '-infinity' FROM sync_instance WHERE instance_id = 'host-2'"))
                    .isEqualTo(true);
        }
    }
}
