package org.apitmoodle;

import java.sql.Connection;
import java.sql.SQLException;
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
        // The Moodle fields (fields/user.sql, fields/course.sql) first: the waiting views of the updates read them.
        // Dropped and made again, so a column an engineer renamed or removed is gone; the views that read them go
        // with them and are made again below, all in one transaction.
        statements.add(sqlFile.apply("moodle-fields.sql"));
        for (String entity : FIELDS) {
            statements.add("DROP VIEW IF EXISTS " + entity + "_fields CASCADE");
            statements.add("CREATE VIEW " + entity + "_fields AS " + select(sqlFile.apply("fields/" + entity + ".sql")));
        }
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
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
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
