package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apitmoodle.Database;
import org.apitmoodle.support.TestClock;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status page's last 24 hours: what is written per batch and per pause, and what is read back. */
class SyncHistoryTest {

    private static final Instant TEN_PAST_NINE = Instant.parse("2027-03-01T09:10:00Z");

    private final TestClock clock = new TestClock(TEN_PAST_NINE);
    private TestDatabase db;
    private HikariDataSource pool;

    @BeforeEach
    void database() {
        db = TestDatabase.recreate(TestDatabase.PREFIX + "sync_history");
        pool = open();
        Database.migrate(pool, TestDatabase.INTEGRATION_SCHEMA);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private HikariDataSource open() {
        return open(false);
    }

    private HikariDataSource open(boolean dryRun) {
        return Database.open(db.url(), "postgres", "", 2, TestDatabase.INTEGRATION_SCHEMA, dryRun);
    }

    @Test
    void eachBatchAddsToItsHourAndTheLast24HoursAreReadOldestFirstWithZerosBetween() throws Exception {
        SyncHistory history = new SyncHistory(() -> pool, clock);
        history.synced(50);
        history.synced(20);
        history.deadLettered(1);
        clock.advance(Duration.ofHours(2));
        history.synced(7);

        assertThat(history.hours()).as("not read yet").isEmpty();
        history.refresh();

        List<SyncHistory.Hour> hours = history.hours();
        assertThat(hours).hasSize(24);
        assertThat(hours.get(23)).isEqualTo(new SyncHistory.Hour(Instant.parse("2027-03-01T11:00:00Z"), 7, 0, 0));
        assertThat(hours.get(22).synced()).isZero();
        assertThat(hours.get(21)).isEqualTo(new SyncHistory.Hour(Instant.parse("2027-03-01T09:00:00Z"), 70, 1, 0));
        assertThat(hours.get(0).start()).isEqualTo(Instant.parse("2027-03-01T11:00:00Z").minus(Duration.ofHours(23)));
        assertThat(db.count("SELECT count(*) FROM " + TestDatabase.INTEGRATION_SCHEMA + ".sync_hour"))
                .as("one row per hour written, none for the empty ones").isEqualTo(2);
    }

    @Test
    void aPauseIsWrittenOnceItEndsSplitOverTheHoursItSpanned() throws Exception {
        SyncHistory history = new SyncHistory(() -> pool, clock);
        history.paused(Instant.parse("2027-03-01T08:45:00Z"), Instant.parse("2027-03-01T10:05:30Z"));
        history.paused(Instant.parse("2027-03-01T10:30:00Z"), Instant.parse("2027-03-01T10:31:00Z"));
        clock.set(Instant.parse("2027-03-01T10:40:00Z"));

        history.refresh();

        assertThat(history.hours().subList(21, 24)).extracting(SyncHistory.Hour::pausedSeconds)
                .containsExactly(15 * 60L, 3600L, 5 * 60L + 30 + 60);
    }

    @Test
    void aRestartKeepsTheHistory() throws Exception {
        new SyncHistory(() -> pool, clock).synced(12);
        pool.close();

        pool = open();
        SyncHistory afterRestart = new SyncHistory(() -> pool, clock);
        afterRestart.refresh();

        assertThat(afterRestart.hours().get(23).synced()).isEqualTo(12);
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        // A dry run's connections never commit: what it notes is rolled back, as every other write of it.
        try (HikariDataSource dryRun = open(true)) {
            SyncHistory history = new SyncHistory(() -> dryRun, clock);
            history.synced(5);
            history.deadLettered(5);
            history.paused(TEN_PAST_NINE.minusSeconds(600), TEN_PAST_NINE);
        }
        SyncHistory history = new SyncHistory(() -> pool, clock);

        assertThat(db.count("SELECT count(*) FROM " + TestDatabase.INTEGRATION_SCHEMA + ".sync_hour")).isZero();
        history.refresh();
        assertThat(history.hours()).hasSize(24).allSatisfy(hour -> assertThat(hour.synced()).isZero());
    }

    @Test
    void rowsOlderThanAWeekAreDeletedAtTheFirstWriteOfAnHour() {
        SyncHistory history = new SyncHistory(() -> pool, clock);
        history.synced(1);
        clock.advance(SyncHistory.KEPT.plusHours(1));
        history.synced(1);

        assertThat(db.rows("SELECT hour FROM " + TestDatabase.INTEGRATION_SCHEMA + ".sync_hour")).hasSize(1);
    }

    @Test
    void aFailedWriteNeverFailsTheBatch() {
        pool.close();
        SyncHistory history = new SyncHistory(() -> pool, clock);

        history.synced(3);   // logged, not thrown: the records are in Moodle already
    }
}
