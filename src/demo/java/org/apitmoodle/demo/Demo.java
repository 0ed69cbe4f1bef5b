package org.apitmoodle.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
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
    /** The operators' server the demo turns on: its port and the demo's operator password. */
    private int operatorsPort;
    private String operatorPassword;
    /** False until the first sync is done and the demo has made its changes in accessplanit. */
    private boolean changesMade;

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

        quietLogs();
        moodle = MoodleEmulator.start(0, token);
        moodle.setLatencyModel(LatencyModel.fromProperties(
                name -> properties.resolveProperty(name).orElse(null), "demo.moodle-latency."));
        properties.addOverrideProperty("moodle.url", moodle.url());
        // The emulator speaks plain HTTP on this machine, with the demo's token.
        properties.addOverrideProperty("moodle.allow-insecure-http", "true");
        properties.addOverrideProperty("moodle.token", token);
        properties.addOverrideProperty("moodle.category-id", Long.toString(DEMO_CATEGORY));
        properties.addOverrideProperty("db.url", databaseUrl);
        // Polls come quickly, so the demo does not sit waiting for its next poll; progress and counts too.
        properties.addOverrideProperty("sync.poll-period-ms", property(properties, "demo.poll-period-ms", "500"));
        properties.addOverrideProperty("ops.refresh-period-ms", property(properties, "demo.poll-period-ms", "500"));
        properties.addOverrideProperty("ops.progress-period-ms", "2000");
        // The operators' server, so the status page and the dead-letter page can be opened.
        operatorsPort = Integer.parseInt(property(properties, "demo.http-port", "0"));
        if (operatorsPort == 0) {
            operatorsPort = freePort();
        }
        operatorPassword = property(properties, "demo.operator-password", "");
        if (operatorPassword.isEmpty()) {
            // 16 random characters: start-up takes no operator password shorter than 12.
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            operatorPassword = "demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        properties.addOverrideProperty("camel.server.enabled", "true");
        properties.addOverrideProperty("dead-letters.http-port", Integer.toString(operatorsPort));
        properties.addOverrideProperty("dead-letters.username", "operator");
        properties.addOverrideProperty("dead-letters.password", operatorPassword);
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
        long cyber = moodle.site().addCourse("CYBER-ELEARN", "Cyber Security Awareness (e-learning)", "ELEARN-CYBER",
                DEMO_CATEGORY).id();
        long typedIn = moodle.site().addCourse("FIRE-APRIL", "Fire Safety - Leeds, April", "", DEMO_CATEGORY).id();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(resource("/demo/demo-data.sql"));
            statement.executeUpdate("UPDATE course_templates SET moodle_course_id = " + gdpr + " WHERE id = 3");
            statement.executeUpdate("UPDATE course_templates SET moodle_course_id = " + cyber + " WHERE id = 6");
            statement.executeUpdate("UPDATE courses SET moodle_id = " + typedIn + " WHERE id = 105");
        }
    }

    private void reportWhenSynced() {
        try (Connection connection = connect()) {
            if (!changesMade) {
                // Done when nothing waits or is in progress (the grade poll reads again at every poll: not waiting
                // work), the bookings that can reach Moodle are enrolled, and Erin's refused email is dead-lettered.
                if (count(connection, "SELECT count(*) FROM waiting WHERE entity_type <> 'grades'") > 0
                        || count(connection, "SELECT count(*) FROM sync_state WHERE state = 'IN_PROGRESS'") > 0
                        || count(connection, "SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                                + " AND state = 'DONE'") == 0
                        || count(connection, "SELECT count(*) FROM dead_letter") < 1) {
                    return;
                }
                printSummary(connection, out);
                makeChanges(connection);
                changesMade = true;
                return;
            }
            // The cancellation and the transfer have reached Moodle when the record says so.
            if (count(connection, "SELECT count(*) FROM moodle_enrolment WHERE delegate_id = " + CANCELLED
                    + " AND state <> 'ACTIVE'") == 0
                    || count(connection, "SELECT count(*) FROM moodle_enrolment WHERE delegate_id = " + MOVED
                    + " AND state <> 'ACTIVE'") == 0
                    || count(connection, "SELECT count(*) FROM moodle_enrolment WHERE delegate_id = " + MOVED
                    + " AND state = 'ACTIVE'") == 0) {
                return;
            }
            printChanges(connection, out);
            printAddresses(out);
            reporter.shutdown();
            if (exitWhenSynced) {
                exit.run();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Demo report failed: {}", e.getMessage());
        }
    }

    /** Grace's booking on Fire Safety (March) is cancelled; Kate's moves from First Aid online to Manchester. */
    static final long CANCELLED = 9;
    static final long MOVED = 13;

    /** What a training administrator then does in accessplanit: a cancellation and a transfer. */
    private void makeChanges(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE delegates SET status = 'CANCELLED' WHERE id = " + CANCELLED);
            statement.executeUpdate("UPDATE delegates SET course_id = 108 WHERE id = " + MOVED);
        }
        out.println();
        out.println("==== Then, in accessplanit: Grace Green's booking on Fire Safety - Leeds, March is cancelled, and"
                + " Kate King's moves from First Aid at Work - online to First Aid at Work - Manchester ====");
        out.flush();
    }

    /** The integration's record of both bookings, beside what the Moodle emulator holds for each enrolment. */
    private void printChanges(Connection connection, PrintStream out) throws SQLException {
        out.println();
        out.println("==== The changes reached Moodle ====");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"booking", "learner", "Moodle course", "record", "in Moodle"});
        try (PreparedStatement statement = connection.prepareStatement("SELECT e.delegate_id, u.forenames || ' '"
                + " || u.surname AS learner, e.moodle_user_id, e.moodle_course_id, e.state FROM moodle_enrolment e"
                + " JOIN delegates d ON d.id = e.delegate_id JOIN users u ON u.id = d.user_id"
                + " WHERE e.delegate_id IN (" + CANCELLED + ", " + MOVED + ") ORDER BY e.delegate_id, e.id");
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                long user = result.getLong("moodle_user_id");
                long course = result.getLong("moodle_course_id");
                String inMoodle = !moodle.site().isEnrolled(user, course) ? "not enrolled"
                        : moodle.site().isSuspended(user, course) ? "enrolled, suspended" : "enrolled, active";
                rows.add(new String[] {result.getString("delegate_id"), result.getString("learner"),
                        Long.toString(course), result.getString("state"), inMoodle});
            }
        }
        out.print(aligned(rows));
        out.flush();
    }

    private void printSummary(Connection connection, PrintStream out) throws SQLException {
        out.println();
        out.println("==== Demo sync done: what accessplanit now holds ====");
        table(connection, out, "Courses and their bookings (Moodle course: written back, typed in, or the e-learning"
                + " template's)",
                "SELECT c.id AS course, c.label, c.course_type AS type,"
                        + " CASE WHEN c.sync_to_moodle THEN 'yes' ELSE 'no' END AS ticked,"
                        + " coalesce(c.moodle_id, t.moodle_course_id)::text AS moodle_course,"
                        + " count(d.id) AS bookings,"
                        + " count(s.entity_id) FILTER (WHERE s.state = 'DONE') AS enrolled"
                        + " FROM courses c JOIN course_templates t ON t.id = c.template_id"
                        + " LEFT JOIN delegates d ON d.course_id = c.id"
                        + " LEFT JOIN sync_state s ON s.entity_type = 'enrolment' AND s.entity_id = d.id"
                        + " GROUP BY c.id, t.moodle_course_id ORDER BY c.id");
        table(connection, out, "Users",
                "SELECT count(*) AS users, count(moodle_id) AS in_moodle, min(moodle_id) || ' to ' || max(moodle_id)"
                        + " AS moodle_ids FROM users");
        table(connection, out, "Dead-letter queue (fix the record in accessplanit, then replay it on the page below)",
                "SELECT id AS entry, entity_type, entity_id, error_code, error_message FROM dead_letter ORDER BY id");
        out.println();
        out.println("Not sent, as it should be: course 104 is not ticked \"Sync to Moodle\" (and Frank is booked only"
                + " on it); booking 8 is cancelled; Erin's booking waits for her user.");
        out.flush();
    }

    private void printAddresses(PrintStream out) {
        out.println();
        out.println("Status page:       http://127.0.0.1:" + operatorsPort + "/status");
        out.println("Dead-letter page:  http://127.0.0.1:" + operatorsPort + "/dead-letter-queue");
        out.println("Sign in as operator, password " + operatorPassword + (exitWhenSynced ? ""
                : "   (Ctrl-C stops the demo)"));
        out.flush();
    }

    /** A table with its columns as wide as their widest value (values cut at 50 characters). */
    static void table(Connection connection, PrintStream out, String title, String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            String[] header = new String[columns];
            for (int i = 1; i <= columns; i++) {
                header[i - 1] = result.getMetaData().getColumnLabel(i);
            }
            rows.add(header);
            while (result.next()) {
                String[] row = new String[columns];
                for (int i = 1; i <= columns; i++) {
                    String value = result.getString(i);
                    value = value == null ? "-" : value;
                    row[i - 1] = value.length() > 50 ? value.substring(0, 49) + "…" : value;
                }
                rows.add(row);
            }
        }
        out.println();
        out.println(title);
        out.print(aligned(rows));
    }

    /** Rows as text, each column padded to its widest value; numbers right-aligned. */
    static String aligned(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        java.util.Arrays.fill(numeric, true);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], rows.get(r)[c].length());
                if (r > 0 && !rows.get(r)[c].matches("-?\\d+|-")) {
                    numeric[c] = false;
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                String format = numeric[c] ? " %" + widths[c] + "s" : " %-" + widths[c] + "s";
                line.append(String.format(format, row[c])).append(c < columns - 1 ? " " : "");
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * The demo is read in one screen: Camel's start and stop lines, Quartz's banner and the emulator stay quiet;
     * what the sync did (one line per batch), progress and warnings remain.
     */
    private static void quietLogs() {
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Configurator.setLevel("org.quartz", Level.WARN);
        Configurator.setLevel("org.apitmoodle.emulator", Level.WARN);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the demo's operators' server", e);
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
