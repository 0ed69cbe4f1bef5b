package org.apitmoodle.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last 24 hours, per hour, for the status page's chart: records synced, records dead-lettered, and the seconds
 * sending was paused (table sync_hour, V11__sync_history.sql). Kept in the integration's schema, so a restart keeps
 * it. One upsert per batch into the batch's hour; a pause is written once, when it ends (split over the hours it
 * spans), so nothing is written while paused. A dry run's are rolled back, as all its writes (Database.open). The route refresh-sync-statistics reads the
 * 24 hours on its schedule ({@link #refresh()}); the page shows what was read, never querying the database itself.
 *
 * <p>Noting never fails a batch: the records are already in Moodle and written back, so a failed write is logged
 * and the hour counts a little short.
 */
public final class SyncHistory {

    /** One hour of the chart; {@code start} is the hour's first instant. */
    public record Hour(Instant start, long synced, long deadLettered, long pausedSeconds) {
    }

    static final int HOURS = 24;
    /** Rows older than this are deleted, at the first write of each new hour. */
    static final Duration KEPT = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(SyncHistory.class);

    private static final String ADD = """
            INSERT INTO sync_hour (hour, synced, dead_lettered, paused_seconds) VALUES (?, ?, ?, ?)
            ON CONFLICT (hour) DO UPDATE SET synced = sync_hour.synced + EXCLUDED.synced,
                dead_lettered = sync_hour.dead_lettered + EXCLUDED.dead_lettered,
                paused_seconds = sync_hour.paused_seconds + EXCLUDED.paused_seconds""";
    private static final String READ = """
            SELECT hour, synced, dead_lettered, paused_seconds FROM sync_hour WHERE hour >= ? AND hour <= ?""";
    private static final String FORGET = "DELETE FROM sync_hour WHERE hour < ?";

    private final Supplier<DataSource> database;
    private final Clock clock;
    private volatile List<Hour> last = List.of();
    /** The hour of the last write: at the first write of a newer hour the old rows are deleted. */
    private volatile Instant lastWrittenHour;

    /** {@code database} is asked for at the first use (the pool is made by another start-up step). */
    public SyncHistory(Supplier<DataSource> database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Records Moodle took, in this hour. */
    public void synced(long records) {
        add(hourOf(now()), records, 0, 0);
    }

    /** Records that went to the dead-letter queue, in this hour. */
    public void deadLettered(long records) {
        add(hourOf(now()), 0, records, 0);
    }

    /** A pause that ended (resumed, or the instance stopped while paused): its seconds, in each hour it spanned. */
    public void paused(Instant since, Instant until) {
        if (since == null || until == null || !until.isAfter(since)) {
            return;
        }
        for (Instant hour = hourOf(since); hour.isBefore(until); hour = hour.plus(1, ChronoUnit.HOURS)) {
            Instant from = since.isAfter(hour) ? since : hour;
            Instant end = hour.plus(1, ChronoUnit.HOURS);
            Instant to = until.isBefore(end) ? until : end;
            long seconds = Duration.between(from, to).toSeconds();
            if (seconds > 0) {
                add(hour, 0, 0, seconds);
            }
        }
    }

    /** Reads the last 24 hours (this one included); hours with nothing written count zeros. */
    public void refresh() throws SQLException {
        Instant current = hourOf(now());
        Instant first = current.minus(HOURS - 1, ChronoUnit.HOURS);
        Map<Instant, Hour> stored = new HashMap<>();
        try (Connection connection = database.get().getConnection();
                PreparedStatement read = connection.prepareStatement(READ)) {
            read.setTimestamp(1, Timestamp.from(first));
            read.setTimestamp(2, Timestamp.from(current));
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    Instant hour = rows.getTimestamp(1).toInstant();
                    stored.put(hour, new Hour(hour, rows.getLong(2), rows.getLong(3), rows.getLong(4)));
                }
            }
        }
        List<Hour> hours = new ArrayList<>(HOURS);
        for (Instant hour = first; !hour.isAfter(current); hour = hour.plus(1, ChronoUnit.HOURS)) {
            hours.add(stored.getOrDefault(hour, new Hour(hour, 0, 0, 0)));
        }
        last = List.copyOf(hours);
    }

    /** The 24 hours last read, oldest first; empty before the first read. */
    public List<Hour> hours() {
        return last;
    }

    private void add(Instant hour, long synced, long deadLettered, long pausedSeconds) {
        if (synced + deadLettered + pausedSeconds <= 0) {
            return;
        }
        try (Connection connection = database.get().getConnection()) {
            try (PreparedStatement add = connection.prepareStatement(ADD)) {
                add.setTimestamp(1, Timestamp.from(hour));
                add.setLong(2, synced);
                add.setLong(3, deadLettered);
                add.setLong(4, pausedSeconds);
                add.executeUpdate();
            }
            Instant current = hourOf(now());
            if (!current.equals(lastWrittenHour)) {
                lastWrittenHour = current;
                try (PreparedStatement forget = connection.prepareStatement(FORGET)) {
                    forget.setTimestamp(1, Timestamp.from(current.minus(KEPT)));
                    forget.executeUpdate();
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not note the hour's figures for the status page (table sync_hour): {}", e.getMessage());
        }
    }

    private Instant now() {
        return clock.instant();
    }

    static Instant hourOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }
}
