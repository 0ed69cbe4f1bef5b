package org.apitmoodle.ops;

import java.time.Instant;
import java.util.List;
import org.apitmoodle.sync.Operation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts read from the database on a schedule by the route refresh-sync-statistics: records waiting per entity
 * type (the backlog) and open dead-letter entries per entity type, and whether the database answered. The
 * gauges and the health checks read them, so neither a scrape nor a probe queries the database.
 */
public final class SyncStatistics {

    /** The entity types always reported, so a gauge exists (at 0) before the first record of its kind. */
    public static final List<String> ENTITY_TYPES = Operation.keys();

    /** Whether the last refresh reached the database. */
    public record DatabaseCheck(boolean reachable, String error, Instant checkedAt) {
    }

    private final Map<String, Long> backlog = new ConcurrentHashMap<>();
    private final Map<String, Long> openDeadLetters = new ConcurrentHashMap<>();
    private volatile DatabaseCheck database = new DatabaseCheck(false, "not checked yet", null);

    public SyncStatistics() {
        for (String type : ENTITY_TYPES) {
            backlog.put(type, 0L);
            openDeadLetters.put(type, 0L);
        }
    }

    /** Rows of entity_type and waiting, from count-backlog.sql. */
    public void backlog(List<Map<String, Object>> rows) {
        replace(backlog, rows, "waiting");
    }

    /** Rows of entity_type and open, from count-open-dead-letters.sql. */
    public void openDeadLetters(List<Map<String, Object>> rows) {
        replace(openDeadLetters, rows, "open");
    }

    public void databaseReachable() {
        database = new DatabaseCheck(true, null, Instant.now());
    }

    public void databaseFailed(Throwable cause) {
        String error = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        database = new DatabaseCheck(false, error, Instant.now());
    }

    public DatabaseCheck database() {
        return database;
    }

    public long backlog(String entityType) {
        return backlog.getOrDefault(entityType, 0L);
    }

    public long openDeadLetters(String entityType) {
        return openDeadLetters.getOrDefault(entityType, 0L);
    }

    public long openDeadLetters() {
        return openDeadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> openDeadLettersByType() {
        return Map.copyOf(openDeadLetters);
    }

    private static void replace(Map<String, Long> counts, List<Map<String, Object>> rows, String column) {
        // A type missing from the rows has nothing waiting (or open) any more.
        counts.replaceAll((type, count) -> 0L);
        for (Map<String, Object> row : rows) {
            Object type = row.get("entity_type");
            Object count = row.get(column);
            if (type != null && count instanceof Number number) {
                counts.put(type.toString(), number.longValue());
            }
        }
    }
}
