package org.apitmoodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apitmoodle.sync.operations.MoodleFields;
import org.apitmoodle.sync.Operation;

/**
 * Checks once at start-up that every column an SQL file gives Moodle is one Moodle takes: the columns of
 * fields/user.sql and fields/course.sql (the views user_fields and course_fields), and of each claim SQL of an
 * operation that sends fields. The columns are read from the database without running anything (a prepared
 * statement's metadata). A column Moodle has no parameter for, or of a type its parameter cannot take, stops
 * start-up with one sentence naming the file and the column: a typo is never dropped without a word.
 */
public final class FieldColumns {

    /** The parameters the claim SQL names (camel-sql's :#name and :#${...}), as JDBC parameters for a prepare. */
    private static final Pattern PARAMETER = Pattern.compile(":#(\\$\\{[^}]*\\}|[A-Za-z_][A-Za-z0-9_]*)");

    /** SQL types a text parameter takes as it is; numbers are sent as text too. */
    private static final Set<Integer> TEXT_OR_NUMBER = Set.of(Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR,
            Types.NVARCHAR, Types.NCHAR, Types.CLOB, Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.NUMERIC,
            Types.DECIMAL, Types.BOOLEAN, Types.BIT);

    private FieldColumns() {
    }

    /** {@code sqlFile} gives an SQL file's text by its name under sql.location. */
    public static void check(DataSource database, Function<String, String> sqlFile) {
        try (Connection connection = database.getConnection()) {
            for (String entity : WaitingViews.FIELDS) {
                MoodleFields fields = entity.equals("user") ? MoodleFields.USERS : MoodleFields.COURSES;
                check(connection, "SELECT * FROM " + entity + "_fields", "fields/" + entity + ".sql", fields);
            }
            for (Operation operation : Operation.values()) {
                if (operation.fields() != null) {
                    String claimSql = operation.sync().claimSql();
                    check(connection, PARAMETER.matcher(sqlFile.apply(claimSql)).replaceAll("?"), claimSql,
                            operation.fields());
                }
            }
        } catch (SQLException e) {
            throw new StartupException("The columns of the SQL files that feed Moodle could not be read: "
                    + e.getMessage(), e);
        }
    }

    private static void check(Connection connection, String sql, String file, MoodleFields fields)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            ResultSetMetaData columns = statement.getMetaData();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                String column = columns.getColumnLabel(i);
                String problem = fields.problem(column);
                if (problem == null && !MoodleFields.isPipelineColumn(column)
                        && !TEXT_OR_NUMBER.contains(columns.getColumnType(i))) {
                    problem = "is of the SQL type " + columns.getColumnTypeName(i) + ", which Moodle cannot take: cast"
                            + " it to text, or a date to Unix seconds (CAST(extract(epoch FROM ...) AS bigint))";
                }
                if (problem != null) {
                    throw new StartupException("The SQL file " + file + " (sql.location) gives Moodle the column '"
                            + column + "', which " + problem + "; correct the column in the file, then start again.");
                }
            }
        }
    }
}
