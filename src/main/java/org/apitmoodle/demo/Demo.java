package org.apitmoodle.demo;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apitmoodle.Settings;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo a newcomer gets when no Moodle is configured: the built-in Moodle emulator, demo data in a database of
 * its own (recreated at every start), and a summary of what was synced once it all went through.
 */
public final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    /** The emulator's "Accessplanit courses" category. */
    private static final long DEMO_CATEGORY = 2;

    private final CamelContext context;
    private final MoodleEmulator moodle;
    private final Settings settings;
    private final boolean exitWhenSynced;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-report");
        thread.setDaemon(true);
        return thread;
    });

    private Demo(CamelContext context, MoodleEmulator moodle, Settings settings, boolean exitWhenSynced) {
        this.context = context;
        this.moodle = moodle;
        this.settings = settings;
        this.exitWhenSynced = exitWhenSynced;
    }

    /**
     * Recreates the demo database with the accessplanit tables in it, as a customer's database has them before the
     * integration first starts, and starts the emulator; the routes then talk to it.
     */
    public static Demo start(CamelContext context, Settings configured) throws SQLException, IOException {
        String databaseName = context.getPropertiesComponent().resolveProperty("demo.db-name").orElse("apit_demo");
        String token = context.getPropertiesComponent().resolveProperty("demo.moodle-token").orElse("demo-token");
        boolean exit = Boolean.parseBoolean(
                context.getPropertiesComponent().resolveProperty("demo.exit-when-synced").orElse("true"));
        String databaseUrl = withDatabase(configured.dbUrl(), databaseName);
        recreateDatabase(configured, databaseName);
        createAccessplanitTables(configured, databaseUrl);

        MoodleEmulator moodle = MoodleEmulator.start(0, token);
        moodle.setLatencyModel(LatencyModel.fromProperties(
                name -> context.getPropertiesComponent().resolveProperty(name).orElse(null), "demo.moodle-latency."));
        context.getPropertiesComponent().addOverrideProperty("moodle.url", moodle.url());
        LOG.warn("DEMO: no Moodle is configured (moodle.url is empty), so this runs against the built-in Moodle"
                + " emulator at {} on demo data in the database '{}'. Set moodle.url and moodle.token to sync a"
                + " real Moodle.", moodle.url(), databaseName);
        return new Demo(context, moodle, configured.withMoodleAndDatabase(moodle.url(), token, DEMO_CATEGORY, databaseUrl),
                exit);
    }

    public Settings settings() {
        return settings;
    }

    /** Loads the demo data, gives the e-learning template and one course Moodle ids, and starts the report. */
    public void loadDemoData(HikariDataSource database) throws SQLException, IOException {
        long gdpr = moodle.site().addCourse("GDPR-ELEARN", "GDPR Essentials (e-learning)", "ELEARN-GDPR", DEMO_CATEGORY).id();
        long typedIn = moodle.site().addCourse("FIRE-APRIL", "Fire Safety - Leeds, April", "", DEMO_CATEGORY).id();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(resource("/demo/demo-data.sql"));
            statement.executeUpdate("UPDATE course_templates SET moodle_course_id = " + gdpr + " WHERE id = 3");
            statement.executeUpdate("UPDATE courses SET moodle_id = " + typedIn + " WHERE id = 105");
        }
        reporter.scheduleWithFixedDelay(() -> reportWhenSynced(database), 1, 1, TimeUnit.SECONDS);
    }

    private void reportWhenSynced(HikariDataSource database) {
        try (Connection connection = database.getConnection()) {
            // Six bookings can reach Moodle; one of them belongs to a user Moodle cannot take.
            if (count(connection, "SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'") < 5
                    || count(connection, "SELECT count(*) FROM dead_letter") < 1) {
                return;
            }
            printSummary(connection, System.out);
            reporter.shutdown();
            if (exitWhenSynced) {
                new Thread(() -> {
                    try {
                        context.stop();
                    } catch (RuntimeException e) {
                        LOG.warn("Could not stop after the demo", e);
                    }
                }, "demo-stop").start();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Demo report failed: {}", e.getMessage());
        }
    }

    private static void printSummary(Connection connection, PrintStream out) throws SQLException {
        out.println();
        out.println("==== Demo sync done: what accessplanit now holds ====");
        table(connection, out, "Courses (Moodle id written back, or typed in)",
                "SELECT id, label, course_type, sync_to_moodle, moodle_id FROM courses ORDER BY id");
        table(connection, out, "Users (Moodle id written back; Moodle mails each new user their login)",
                "SELECT id, forenames, surname, email, moodle_id FROM users ORDER BY id");
        table(connection, out, "Bookings (delegates) and their Moodle enrolment",
                "SELECT d.id AS delegate, d.user_id, d.course_id, d.status, coalesce(s.state, '-') AS enrolment"
                        + " FROM delegates d LEFT JOIN sync_state s ON s.entity_type = 'enrolment' AND s.entity_id = d.id"
                        + " ORDER BY d.id");
        table(connection, out, "Dead-letter queue (fix the record in accessplanit, then replay)",
                "SELECT entity_type, entity_id, error_code, error_message FROM dead_letter ORDER BY id");
        out.println("Course 104 is not ticked \"Sync to Moodle\", so it and Frank (booked only on it) were not sent.");
        out.println("Booking 8 is cancelled, so it was not enrolled.");
        out.println();
    }

    private static void table(Connection connection, PrintStream out, String title, String sql) throws SQLException {
        out.println();
        out.println(title);
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            int columns = rows.getMetaData().getColumnCount();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                header.append(String.format("  %-14s", rows.getMetaData().getColumnLabel(i)));
            }
            out.println(header);
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(String.format("  %-14s", rows.getString(i)));
                }
                out.println(line);
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void recreateDatabase(Settings settings, String databaseName) throws SQLException {
        String serverUrl = withDatabase(settings.dbUrl(), "postgres");
        try (Connection connection = DriverManager.getConnection(serverUrl, settings.dbUser(), settings.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + databaseName + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + databaseName + "\"");
        }
    }

    /** The accessplanit tables in the demo database's public schema: the integration never creates them. */
    private static void createAccessplanitTables(Settings settings, String databaseUrl) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, settings.dbUser(), settings.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.execute(resource("/demo/accessplanit-tables.sql"));
        }
    }

    /** The JDBC URL of another database on the same PostgreSQL server. */
    static String withDatabase(String jdbcUrl, String databaseName) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + databaseName);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        moodle.close();
    }
}
