package org.apitmoodle.demo;

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
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apitmoodle.Settings;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo a newcomer gets when no Moodle is configured: the Moodle emulator, demo data in a database of its own
 * (recreated at every start), and a summary of what was synced once it all went through. It sits in front of the
 * real application (see {@link DemoApplication}): before the integration reads its settings, it points them at the
 * emulator and the demo database; with a Moodle configured it does nothing.
 */
final class Demo extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    /** The emulator's "Accessplanit courses" category. */
    private static final long DEMO_CATEGORY = 2;

    private final PrintStream out;
    /** Ends the application as SIGTERM does: the routes stop gracefully, then main returns. */
    private final Runnable exit;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-report");
        thread.setDaemon(true);
        return thread;
    });
    private MoodleEmulator moodle;
    private String databaseUrl;
    private String databaseUser;
    private String databasePassword;
    /** The schema of the integration's own tables (db.schema), where the summary finds sync_state and dead_letter. */
    private String integrationSchema;
    private boolean exitWhenSynced;

    Demo(PrintStream out, Runnable exit) {
        this.out = out;
        this.exit = exit;
    }

    /** Whether the demo runs: no Moodle was configured. */
    boolean isRunning() {
        return moodle != null;
    }

    /**
     * Recreates the demo database with the accessplanit tables in it, as a customer's database has them before the
     * integration first starts, and starts the emulator; then points the integration's settings at them.
     */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        if (!property(properties, "moodle.url", "").isBlank()) {
            return;
        }
        String databaseName = property(properties, "demo.db-name", "apit_demo");
        String token = property(properties, "demo.moodle-token", "demo-token");
        exitWhenSynced = Boolean.parseBoolean(property(properties, "demo.exit-when-synced", "true"));
        databaseUrl = withDatabase(property(properties, "db.url", "jdbc:postgresql://127.0.0.1:5432/apit_demo"),
                databaseName);
        databaseUser = property(properties, "db.user", "");
        databasePassword = property(properties, "db.password", "");
        integrationSchema = property(properties, "db.schema", "");
        if (integrationSchema.isEmpty()) {
            integrationSchema = Settings.DEFAULT_DB_SCHEMA;
        }
        try {
            recreateDatabase(databaseName);
        } catch (SQLException e) {
            throw new IllegalStateException("The demo could not recreate its database '" + databaseName + "' on the"
                    + " PostgreSQL server of db.url: " + e.getMessage(), e);
        }
        try {
            createAccessplanitTables();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("The demo could not create the accessplanit tables in its database '"
                    + databaseName + "': " + e.getMessage(), e);
        }

        moodle = MoodleEmulator.start(0, token);
        moodle.setLatencyModel(LatencyModel.fromProperties(
                name -> properties.resolveProperty(name).orElse(null), "demo.moodle-latency."));
        properties.addOverrideProperty("moodle.url", moodle.url());
        properties.addOverrideProperty("moodle.token", token);
        properties.addOverrideProperty("moodle.category-id", Long.toString(DEMO_CATEGORY));
        properties.addOverrideProperty("db.url", databaseUrl);
        LOG.warn("DEMO: no Moodle is configured (moodle.url is empty), so this runs against the Moodle emulator at {}"
                + " on demo data in the database '{}'. Set moodle.url and moodle.token to sync a real Moodle.",
                moodle.url(), databaseName);
    }

    /** The integration has made its tables: loads the demo data, before the routes start. */
    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (!isRunning()) {
            return;
        }
        try {
            loadDemoData();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("The demo could not load its data: " + e.getMessage(), e);
        }
    }

    /** Prints the summary once everything is synced, and then stops the application when demo.exit-when-synced. */
    @Override
    public void afterStart(BaseMainSupport main) {
        if (isRunning()) {
            reporter.scheduleWithFixedDelay(this::reportWhenSynced, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** After the routes stopped, so in-flight batches could still write their ids back. */
    @Override
    public void afterStop(BaseMainSupport main) {
        reporter.shutdownNow();
        if (moodle != null) {
            moodle.close();
        }
    }

    /** Gives the e-learning template and one course Moodle ids, and loads the demo data. */
    private void loadDemoData() throws SQLException, IOException {
        long gdpr = moodle.site().addCourse("GDPR-ELEARN", "GDPR Essentials (e-learning)", "ELEARN-GDPR", DEMO_CATEGORY).id();
        long typedIn = moodle.site().addCourse("FIRE-APRIL", "Fire Safety - Leeds, April", "", DEMO_CATEGORY).id();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(resource("/demo/demo-data.sql"));
            statement.executeUpdate("UPDATE course_templates SET moodle_course_id = " + gdpr + " WHERE id = 3");
            statement.executeUpdate("UPDATE courses SET moodle_id = " + typedIn + " WHERE id = 105");
        }
    }

    private void reportWhenSynced() {
        try (Connection connection = connect()) {
            // Six bookings can reach Moodle; one of them belongs to a user Moodle cannot take.
            if (count(connection, "SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment' AND state = 'DONE'") < 5
                    || count(connection, "SELECT count(*) FROM dead_letter") < 1) {
                return;
            }
            printSummary(connection, out);
            reporter.shutdown();
            if (exitWhenSynced) {
                exit.run();
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
        out.flush();
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

    /**
     * A connection to the demo database that, like the integration's own, finds the integration's schema first and
     * then the accessplanit tables (public).
     */
    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('search_path', quote_ident(?) || ', ' || current_setting('search_path'), false)")) {
            statement.setString(1, integrationSchema);
            statement.execute();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void recreateDatabase(String databaseName) throws SQLException {
        String serverUrl = withDatabase(databaseUrl, "postgres");
        try (Connection connection = DriverManager.getConnection(serverUrl, databaseUser, databasePassword);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + databaseName + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + databaseName + "\"");
        }
    }

    /** The accessplanit tables in the demo database's public schema: the integration never creates them. */
    private void createAccessplanitTables() throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword);
                Statement statement = connection.createStatement()) {
            statement.execute(resource("/demo/accessplanit-tables.sql"));
        }
    }

    /** The JDBC URL of another database on the same PostgreSQL server. */
    static String withDatabase(String jdbcUrl, String databaseName) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + databaseName);
    }

    private static String property(PropertiesComponent properties, String name, String otherwise) {
        return properties.resolveProperty(name).map(String::strip).orElse(otherwise);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
