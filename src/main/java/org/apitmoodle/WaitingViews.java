package org.apitmoodle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apitmoodle.sync.Operation;

/**
 * Makes, at every start, the views that say which records each operation still has to do: waiting_&lt;operation&gt;
 * from the operation's own waiting/&lt;operation&gt;.sql (under sql.location, so an engineer adapts them to a real
 * accessplanit database), and "waiting", all of them with their operation's key. The claim SQL and the backlog
 * metric read these views, so both count the same records. They are made in the integration's schema (the first
 * on the search path). With them the function claim_records (claim-records.sql), the one claim every claim SQL makes,
 * and the views user_fields and course_fields (fields/user.sql, fields/course.sql): what Moodle gets for a user and a
 * course, read by the claims and the waiting updates.
 */
public final class WaitingViews {

    private WaitingViews() {
    }

    /** {@code sqlFile} gives the text of an SQL file by its name under sql.location (e.g. waiting/user.sql). */
    public static void create(DataSource database, Function<String, String> sqlFile) throws SQLException {
        create(database, sqlFile, 30_000);
    }

    /**
     * Also makes the view live_claim: the claims (sync_state IN_PROGRESS) that hold, because their instance's
     * heartbeat (sync_instance) is younger than {@code instanceTimeoutMs}, or, for a claim of an instance without a
     * heartbeat, its lease has not run out. Every claim SQL skips these and takes over the others, so the rule is
     * written once.
     */
    public static void create(DataSource database, Function<String, String> sqlFile, long instanceTimeoutMs)
            throws SQLException {
        List<String> statements = new ArrayList<>();
        List<String> union = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            String select = select(sqlFile.apply("waiting/" + operation.key() + ".sql"));
            statements.add("CREATE OR REPLACE VIEW " + operation.waitingView() + " AS SELECT CAST(id AS bigint) AS id FROM ("
                    + System.lineSeparator() + select + System.lineSeparator() + ") AS waiting");
            union.add("SELECT CAST('" + operation.key() + "' AS text) AS entity_type, id FROM " + operation.waitingView());
        }
        statements.add("CREATE OR REPLACE VIEW waiting AS " + String.join(" UNION ALL ", union));
        statements.add("CREATE OR REPLACE VIEW live_claim AS SELECT s.entity_type, s.entity_id FROM sync_state s"
                + " LEFT JOIN sync_instance i ON i.instance_id = s.claimed_by WHERE s.state = 'IN_PROGRESS'"
                + " AND CASE WHEN i.instance_id IS NULL THEN s.lease_until >= now()"
                + " ELSE i.heartbeat_at >= now() - interval '" + Math.max(0, instanceTimeoutMs) + " milliseconds' END");
        // The claim itself, which every claim SQL makes through it.
        statements.add(sqlFile.apply("claim-records.sql"));
        try (Connection connection = database.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // Other instances may be running, their polls reading these views: a start-up that deadlocks with
                // one of them (PostgreSQL ends one of the two) is made again, whole.
                for (int attempt = 1; ; attempt++) {
                    try (Statement statement = connection.createStatement()) {
                        // Instances starting at once make the views one after the other.
                        statement.execute("SELECT pg_advisory_xact_lock(" + START_UP_LOCK + ")");
                        statement.execute(sqlFile.apply("moodle-fields.sql"));
                        // The Moodle fields (fields/user.sql, fields/course.sql) first: the waiting views of the
                        // updates read them.
                        for (String entity : FIELDS) {
                            fieldsView(connection, statement, entity,
                                    select(sqlFile.apply("fields/" + entity + ".sql")));
                        }
                        for (String sql : statements) {
                            statement.execute(sql);
                        }
                        connection.commit();
                        return;
                    } catch (SQLException e) {
                        connection.rollback();
                        if (!DEADLOCK.equals(e.getSQLState()) || attempt == 5) {
                            throw e;
                        }
                        sleep(200L * attempt);
                    }
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** PostgreSQL's deadlock_detected. */
    private static final String DEADLOCK = "40P01";
    /** The advisory lock that orders the start-ups of several instances (any number only this integration uses). */
    private static final long START_UP_LOCK = 7_346_251_001L;

    /**
     * Makes the view &lt;entity&gt;_fields, replacing it in place when it can. A column an engineer renamed or
     * removed cannot be replaced in place: then it is dropped, with the views that read it (made again right after,
     * in the same transaction).
     */
    private static void fieldsView(Connection connection, Statement statement, String entity, String select)
            throws SQLException {
        String create = "VIEW " + entity + "_fields AS " + select;
        Savepoint before = connection.setSavepoint();
        try {
            statement.execute("CREATE OR REPLACE " + create);
            connection.releaseSavepoint(before);
        } catch (SQLException changedColumns) {
            connection.rollback(before);
            statement.execute("DROP VIEW IF EXISTS " + entity + "_fields CASCADE");
            statement.execute("CREATE " + create);
        }
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while making the views again", e);
        }
    }

    /** The entities whose Moodle fields are data: fields/&lt;entity&gt;.sql, made the view &lt;entity&gt;_fields. */
    public static final List<String> FIELDS = List.of("user", "course");

    /** An SQL file's one SELECT, without a closing semicolon. */
    private static String select(String sql) {
        String select = sql.strip();
        return select.endsWith(";") ? select.substring(0, select.length() - 1) : select;
    }

    /** Runs one statement of start-up SQL (record-earlier-enrolments.sql) in the integration's schema. */
    public static void run(DataSource database, String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
