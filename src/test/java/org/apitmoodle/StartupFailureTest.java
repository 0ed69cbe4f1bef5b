package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application started as an operator starts it, in a JVM of its own, with something wrong: start-up stops
 * with one sentence that says what to fix, no stack trace, no word of a SIGTERM nobody sent, and exit status 1.
 */
class StartupFailureTest {

    private static TestDatabase db;

    /** What a run printed and how it ended. */
    private record Run(int exit, List<String> stdout, List<String> stderr) {

        String all() {
            return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
        }
    }

    @BeforeAll
    static void database() {
        db = TestDatabase.recreate(TestDatabase.PREFIX + "startupfailure");
    }

    @Test
    void aMalformedSettingStopsStartUpBeforeAnythingRuns() throws Exception {
        Run run = start(Map.of("sync.page-size", "abc"), Map.of());

        assertStopsWithOneSentence(run, "sync.page-size must be a positive whole number (the records claimed per poll),"
                + " but is 'abc' (environment variable SYNC_PAGE_SIZE).");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .as("the database was not touched").isZero();
    }

    @Test
    void aPlainHttpMoodleIsRefusedBeforeTheTokenIsSent() throws Exception {
        Run run = start(Map.of("moodle.url", "http://moodle.example.org"), Map.of());

        assertStopsWithOneSentence(run, "moodle.url is 'http://moodle.example.org', plain HTTP would send the Moodle"
                + " token in clear", "moodle.allow-insecure-http=true (environment variable MOODLE_ALLOW_INSECURE_HTTP)");
        assertThat(run.all()).doesNotContain("test-token-0123456789abcdef");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .as("the database was not touched").isZero();
    }

    @Test
    void aMalformedSettingFromTheEnvironmentIsNamedTheSameWay() throws Exception {
        Run run = start(Map.of(), Map.of("GRADES_CRON", "every 15 minutes"));

        assertStopsWithOneSentence(run, "grades.cron must be a Quartz cron expression", "'every 15 minutes'",
                "(environment variable GRADES_CRON).");
    }

    @Test
    void aShortOperatorPasswordIsRefusedWithoutSayingIt() throws Exception {
        Run run = start(Map.of("camel.server.enabled", "true"), Map.of("DEAD_LETTERS_PASSWORD", "password1"));

        assertStopsWithOneSentence(run, "dead-letters.password is shorter than 12 characters",
                "(environment variable DEAD_LETTERS_PASSWORD)");
        assertThat(run.all()).doesNotContain("password1");
    }

    @Test
    void aDatabaseServerThatCannotBeReachedIsSaidSo() throws Exception {
        int closed = OperatorHttp.freePort();
        Run run = start(Map.of("db.url", "jdbc:postgresql://127.0.0.1:" + closed + "/accessplanit"), Map.of());

        assertStopsWithOneSentence(run, "Cannot reach the database server at 127.0.0.1:" + closed,
                "connection refused", "db.url (environment variable DB_URL)");
    }

    @Test
    void aMissingDatabaseIsSaidSo() throws Exception {
        String missing = TestDatabase.PREFIX + "no_such_database";
        Run run = start(Map.of("db.url", "jdbc:postgresql://127.0.0.1:5432/" + missing), Map.of());

        assertStopsWithOneSentence(run, "There is no database '" + missing + "' on the PostgreSQL server at"
                + " 127.0.0.1:5432", "db.url (environment variable DB_URL)");
    }

    @Test
    void aRefusedLoginIsSaidSoWithoutThePassword() throws Exception {
        String role = TestDatabase.PREFIX + "no_such_role";
        Run run = start(Map.of("db.user", role, "db.password", "s3cret-password"), Map.of());

        assertStopsWithOneSentence(run, "The PostgreSQL server at 127.0.0.1:5432 refused the login of user '" + role
                + "'", "db.user (environment variable DB_USER)", "db.password (environment variable DB_PASSWORD)");
        assertThat(run.all()).doesNotContain("s3cret-password");
    }

    @Test
    void aColumnMoodleDoesNotTakeStopsStartUpNamingTheFileAndTheColumn() throws Exception {
        TestDatabase customer = TestDatabase.recreate(TestDatabase.PREFIX + "startupfailure_columns")
                .withAccessplanitTables();
        Path sql = FieldsAsDataTest.copyOfShippedSql();
        FieldsAsDataTest.addColumns(sql.resolve("fields/user.sql"), "u.email     AS email",
                "u.email     AS email,\n       u.surname AS departmnet");

        Run run = start(Map.of("db.url", customer.url(), "sql.location", "file:" + sql), Map.of());

        assertStopsWithOneSentence(run, "The SQL file fields/user.sql (sql.location) gives Moodle the column"
                + " 'departmnet', which is neither a parameter of core_user_create_users and core_user_update_users"
                + " nor one of the pipeline's columns", "correct the column in the file, then start again.");

        // The same in a claim SQL file, as its route names it.
        sql = FieldsAsDataTest.copyOfShippedSql();
        FieldsAsDataTest.addColumns(sql.resolve("claim-new-courses.sql"), "SELECT f.*,",
                "SELECT f.*, c.label AS ful1name,");
        run = start(Map.of("db.url", customer.url(), "sql.location", "file:" + sql), Map.of());

        assertStopsWithOneSentence(run, "The SQL file claim-new-courses.sql (sql.location) gives Moodle the column"
                + " 'ful1name', which is neither a parameter of core_course_create_courses");
    }

    private static void assertStopsWithOneSentence(Run run, String... named) {
        assertThat(run.exit()).as("exit status; printed:\n" + run.all()).isEqualTo(1);
        assertThat(run.stderr()).as("printed:\n" + run.all()).hasSize(1);
        String sentence = run.stderr().get(0);
        assertThat(sentence).contains(named).endsWith(".").doesNotContainPattern("[.:]\\s+[A-Z]");
        assertThat(run.all()).as("no stack trace")
                .doesNotContainPattern("\\sat (org|com|java|jdk)\\.").doesNotContain("Exception")
                .doesNotContain("Caused by");
        assertThat(run.all()).as("nobody sent a SIGTERM").doesNotContain("SIGTERM");
    }

    /** Runs Application's main with the test settings and these, and waits until it ends. */
    private static Run start(Map<String, String> settings, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dmoodle.url=https://moodle.example.org");
        command.add("-Dmoodle.token=test-token-0123456789abcdef");
        command.add("-Dmanagement.port=" + OperatorHttp.freePort());
        command.add("-Ddb.url=" + settings.getOrDefault("db.url", db.url()));
        settings.forEach((name, value) -> {
            if (!name.equals("db.url")) {
                command.add("-D" + name + "=" + value);
            }
        });
        command.add(Application.class.getName());
        File out = File.createTempFile("startup-failure", ".out");
        File err = File.createTempFile("startup-failure", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 90 seconds:\n" + read(out) + read(err));
            }
            return new Run(process.exitValue(), lines(out), lines(err));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    private static List<String> lines(File file) throws IOException {
        return read(file).lines().filter(line -> !line.isBlank()).toList();
    }

    private static String read(File file) throws IOException {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }
}
