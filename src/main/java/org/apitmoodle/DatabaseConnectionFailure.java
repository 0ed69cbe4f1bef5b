package org.apitmoodle;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;

/**
 * The database could not be opened at start-up, said in one sentence: nothing answers at the address in db.url,
 * the database named there does not exist, or the server refused the login of db.user (the password is never
 * part of it). Translated from PostgreSQL's SQLState: class 08 (connection), 3D000 (no such database), 28000 and
 * 28P01 (login refused).
 */
public final class DatabaseConnectionFailure extends StartupException {

    private static final Pattern SERVER = Pattern.compile("^jdbc:postgresql://([^/?]*)(?:/([^?]*))?");
    private static final Pattern MISSING_DATABASE = Pattern.compile("database \"(.*)\" does not exist");

    private final String sqlState;

    private DatabaseConnectionFailure(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** PostgreSQL's SQLState of the failure, or null when the driver gave none. */
    public String sqlState() {
        return sqlState;
    }

    /** The failure to connect to {@code url} as {@code user}, found among {@code failure} and its causes. */
    public static DatabaseConnectionFailure of(String url, String user, Throwable failure) {
        SQLException sql = find(failure, SQLException.class);
        String state = sql == null ? null : sql.getSQLState();
        String server = server(url);
        String dbUrl = "db.url (" + env("db.url") + ")";
        if (state == null) {
            state = "";
        }
        if (state.startsWith("08") || find(failure, ConnectException.class) != null) {
            return new DatabaseConnectionFailure("Cannot reach the database server at " + server + " (" + why(failure)
                    + "): check " + dbUrl + ", and that PostgreSQL runs there and takes connections.", state, failure);
        }
        if (state.equals("3D000")) {
            return new DatabaseConnectionFailure("There is no database " + databaseName(url, sql) + " on the"
                    + " PostgreSQL server at " + server + ": create it, or fix " + dbUrl + ".", state, failure);
        }
        if (state.equals("28000") || state.equals("28P01")) {
            return new DatabaseConnectionFailure("The PostgreSQL server at " + server + " refused the login of user '"
                    + user + "' (" + serverMessage(sql) + "): check db.user (" + env("db.user") + ") and db.password ("
                    + env("db.password") + ").", state, failure);
        }
        String detail = sql != null ? serverMessage(sql) : firstLine(failure.getMessage());
        return new DatabaseConnectionFailure("Cannot open the database in " + dbUrl + " as user '" + user + "' ("
                + detail + "): check db.url, db.user (" + env("db.user") + ") and db.password (" + env("db.password")
                + ").", state, failure);
    }

    private static String why(Throwable failure) {
        if (find(failure, ConnectException.class) != null) {
            return "connection refused: nothing listens on that port";
        }
        if (find(failure, UnknownHostException.class) != null) {
            return "unknown host";
        }
        if (find(failure, NoRouteToHostException.class) != null) {
            return "no route to the host";
        }
        if (find(failure, SocketTimeoutException.class) != null) {
            return "no answer in time";
        }
        SQLException sql = find(failure, SQLException.class);
        return sql == null ? firstLine(failure.getMessage()) : serverMessage(sql);
    }

    /** host:port of the URL, the default port made explicit. */
    private static String server(String url) {
        Matcher matcher = SERVER.matcher(url == null ? "" : url);
        if (!matcher.find() || matcher.group(1).isEmpty()) {
            return "localhost:5432";
        }
        String hosts = matcher.group(1);
        return hosts.contains(":") || hosts.contains(",") ? hosts : hosts + ":5432";
    }

    private static String databaseName(String url, SQLException sql) {
        Matcher missing = MISSING_DATABASE.matcher(serverMessage(sql));
        if (missing.find()) {
            return "'" + missing.group(1) + "'";
        }
        Matcher matcher = SERVER.matcher(url == null ? "" : url);
        return matcher.find() && matcher.group(2) != null ? "'" + matcher.group(2) + "'" : "of that name";
    }

    /** The server's own words, without "FATAL:" and without a closing full stop. */
    private static String serverMessage(SQLException sql) {
        if (sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            return trimmed(psql.getServerErrorMessage().getMessage());
        }
        return firstLine(sql.getMessage()).replaceFirst("^FATAL:\\s*", "");
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "no reason given";
        }
        return trimmed(message.strip().lines().findFirst().orElse(message));
    }

    private static String trimmed(String message) {
        String line = message.strip();
        // One sentence: only the first of the driver's sentences, without its full stop.
        int stop = line.indexOf(". ");
        if (stop > 0) {
            line = line.substring(0, stop);
        }
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static String env(String setting) {
        return "environment variable " + Settings.environmentVariable(setting);
    }
}
