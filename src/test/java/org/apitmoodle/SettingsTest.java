package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apitmoodle.sync.operations.CancellationMapper;
import org.junit.jupiter.api.Test;

/** The settings, checked without Camel: the shipped application.properties with a test's changes on top. */
class SettingsTest {

    /** Settings whose value is free text: any value is taken. */
    private static final Set<String> FREE_TEXT = Set.of("moodle.token", "moodle.course.shortname-prefix",
            "moodle.course.idnumber-prefix", "db.user", "db.password", "sync.instance-id", "dead-letters.username",
            "dead-letters.password", "ops.poll-route-prefix");

    private final Map<String, String> properties = shipped();

    SettingsTest() {
        properties.putAll(Map.of(
                "moodle.url", "https://moodle.example.org/",
                "moodle.token", "0123456789abcdef0123456789abcdef",
                "moodle.category-id", "2",
                "moodle.role-id", "5",
                "moodle.user.username-prefix", "apit.",
                "db.url", "jdbc:postgresql://127.0.0.1:5432/accessplanit",
                "db.pool-size", "5"));
    }

    /** application.properties as shipped (from the classpath, where the build copies it). */
    private static Map<String, String> shipped() {
        Properties file = new Properties();
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.properties")) {
            file.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> values = new HashMap<>();
        file.stringPropertyNames().forEach(name -> values.put(name, file.getProperty(name)));
        return values;
    }

    @Test
    void readsTheSettings() {
        Settings settings = Settings.read(properties::get);

        assertThat(settings.moodleUrl()).isEqualTo("https://moodle.example.org");
        assertThat(settings.categoryId()).isEqualTo(2);
        assertThat(settings.roleId()).isEqualTo(5);
        assertThat(settings.dbSchema()).isEqualTo("apit_sync");
    }

    @Test
    void readsEveryAreaWithItsType() {
        properties.putAll(Map.of("sync.page-size", " 24 ", "sync.claim-lease", "1 hour 30 minutes",
                "grades.enabled", "FALSE", "retry.multiplier", "1.5", "log.format", "JSON", "dead-letters.http-port", "8081"));

        Settings settings = Settings.read(properties::get);

        assertThat(settings.sync().pageSize()).isEqualTo(24);
        assertThat(settings.sync().claimLease()).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.sync().moodleCallsInFlight()).isEqualTo(16);
        assertThat(settings.sync().moodleCallsAdaptive()).isTrue();
        assertThat(settings.sync().shutdownTimeoutSeconds()).isEqualTo(30);
        assertThat(settings.grades().enabled()).isFalse();
        assertThat(settings.grades().cron()).isEqualTo("0 0/15 * * * ?");
        assertThat(settings.grades().pollDaysAfterEnd()).isEqualTo(30);
        assertThat(settings.grades().completionRecheck()).isEqualTo("1 day");
        assertThat(settings.grades().pageSize()).isEqualTo(2000);
        assertThat(settings.grades().moodleCallsInFlight()).isEqualTo(2);
        assertThat(settings.retry().multiplier()).isEqualTo(1.5);
        assertThat(settings.operations().logFormat()).isEqualTo("json");
        assertThat(settings.deadLetters().httpPort()).isEqualTo(8081);
        assertThat(settings.dbSchema()).isEqualTo("apit_sync");
    }

    @Test
    void theIntegrationsSchemaCanBeNamed() {
        properties.put("db.schema", "Moodle_Sync_2");

        assertThat(Settings.read(properties::get).dbSchema()).isEqualTo("Moodle_Sync_2");
    }

    @Test
    void noMoodleUrlStopsStartUpAndSaysHowToRunTheDemo() {
        properties.put("moodle.url", "");
        properties.remove("moodle.token");

        assertThatThrownBy(() -> Settings.read(properties::get))
                .isInstanceOf(Settings.InvalidSettingException.class)
                .hasMessageStartingWith("moodle.url is missing: set it to your Moodle site's address")
                .hasMessageContaining("MOODLE_URL")
                .hasMessageEndingWith("without a Moodle (mvn -q test-compile exec:java).");
    }

    @Test
    void aMissingOrMalformedSettingStopsStartUpWithOneSentenceNamingIt() {
        assertRejected("moodle.category-id", "abc", "moodle.category-id must be a positive whole number");
        assertRejected("sync.heartbeat-period-ms", "30000", "sync.heartbeat-period-ms must be at most half of"
                + " sync.instance-timeout-ms");
        assertRejected("moodle.category-id", "", "moodle.category-id is missing (environment variable"
                + " MOODLE_CATEGORY_ID).");
        assertRejected("moodle.role-id", "-5", "moodle.role-id must be a positive whole number");
        assertRejected("moodle.url", "moodle.example.org", "moodle.url must be the Moodle site's address");
        // A missing moodle.url says how to run the demo instead: noMoodleUrlStopsStartUpAndSaysHowToRunTheDemo.
        assertRejected("moodle.token", "", "moodle.token is missing");
        assertRejected("db.url", "jdbc:mysql://localhost/x", "db.url must be a PostgreSQL JDBC URL");
        assertRejected("moodle.user.username-prefix", "apit user ", "moodle.user.username-prefix may hold only");
        assertRejected("db.schema", "apit\"; DROP TABLE users; --", "db.schema may hold only letters, digits and _");
        assertRejected("db.schema", "apit.sync", "db.schema may hold only letters, digits and _");
        assertRejected("moodle.max-input-vars", "10", "moodle.max-input-vars must be at least 11 (the 3 form fields"
                + " of every call and the 8 of one course), but is 10 (environment variable MOODLE_MAX_INPUT_VARS).");
    }

    @Test
    void anAuthPluginMoodleCannotMakeAccountsForOrAnUnknownUsernameSourceStopsStartUp() {
        assertRejected("moodle.user.auth", "nologin", "moodle.user.auth cannot be nologin, as Moodle's web services"
                + " never create such accounts");
        assertRejected("moodle.user.auth", "OAuth 2", "moodle.user.auth must be the name of a Moodle authentication"
                + " plugin");
        assertRejected("moodle.user.username-from", "login", "moodle.user.username-from must be id (the prefix plus"
                + " the accessplanit user ID) or email (the email in lower case), but is 'login' (environment variable"
                + " MOODLE_USER_USERNAME_FROM).");
    }

    @Test
    void aPlainHttpMoodleIsRefusedUnlessTheTokenMayTravelInClear() {
        properties.put("moodle.url", "http://moodle.example.org");

        assertThatThrownBy(() -> Settings.read(properties::get))
                .isInstanceOf(Settings.InvalidSettingException.class)
                .hasMessage("moodle.url is 'http://moodle.example.org', plain HTTP would send the Moodle token in clear:"
                        + " use https://, or set moodle.allow-insecure-http=true (environment variable"
                        + " MOODLE_ALLOW_INSECURE_HTTP) for a Moodle on a trusted network.")
                .message().doesNotContain("0123456789abcdef");

        properties.put("moodle.allow-insecure-http", "true");
        assertThat(Settings.read(properties::get).moodleUrl()).isEqualTo("http://moodle.example.org");
    }

    @Test
    void theSentenceNamesTheSettingAndItsEnvironmentVariable() {
        assertRejected("sync.page-size", "abc", "sync.page-size must be a positive whole number (the records claimed"
                + " per poll), but is 'abc' (environment variable SYNC_PAGE_SIZE).");
        assertThat(Settings.environmentVariable("moodle.url")).isEqualTo("MOODLE_URL");
        assertThat(Settings.environmentVariable("retry.database-error-redeliveries"))
                .isEqualTo("RETRY_DATABASE_ERROR_REDELIVERIES");
    }

    /** Every setting in application.properties with a type is checked: a malformed value stops start-up. */
    @Test
    void everySettingOfTheIntegrationIsChecked() {
        Set<String> checked = new TreeSet<>();
        for (String name : shipped().keySet()) {
            // Camel's own settings are checked by Camel; the two the integration reads are checked here too.
            if (FREE_TEXT.contains(name) || name.startsWith("camel.") && !name.equals("camel.server.enabled")
                    && !name.equals("camel.main.shutdown-timeout")) {
                continue;
            }
            // The demo's settings are the demo's (src/demo), never read by the integration.
            if (name.startsWith("demo.")) {
                continue;
            }
            assertRejected(name, "not valid!", name + " ");
            checked.add(name);
        }
        assertThat(checked).contains("sync.page-size", "sync.claim-lease", "grades.cron", "retry.multiplier",
                "dead-letters.list-limit", "ops.refresh-period-ms", "log.format", "sql.location",
                "db.schema");
    }

    @Test
    void everyRequiredSettingMissingStopsStartUp() {
        for (String name : new String[] {"sync.page-size", "sync.claim-lease", "grades.cron", "grades.enabled",
                "retry.multiplier", "management.port", "log.format", "sql.location", "db.url"}) {
            assertRejected(name, null, name + " is missing (environment variable "
                    + Settings.environmentVariable(name) + ").");
        }
    }

    @Test
    void checksEachKindOfValue() {
        for (String lease : new String[] {"10 minutes", "2 seconds", "1 hour 30 minutes", "90 s", "1 day", "500 ms"}) {
            properties.put("sync.claim-lease", lease);
            assertThat(Settings.read(properties::get).sync().claimLease()).as(lease).isPositive();
        }
        properties.put("sync.claim-lease", "10 minutes");
        assertRejected("sync.claim-lease", "10", "sync.claim-lease must be a PostgreSQL interval");
        assertRejected("sync.claim-lease", "0 minutes", "sync.claim-lease must be a PostgreSQL interval");
        assertRejected("sync.claim-lease", "1 month", "sync.claim-lease must be a PostgreSQL interval");
        assertRejected("sync.claim-lease", "10 minutes; DROP TABLE x", "sync.claim-lease must be a PostgreSQL interval");
        assertRejected("grades.cron", "every 15 minutes", "grades.cron must be a Quartz cron expression");
        assertRejected("grades.cron", "0 0/15 * * *", "grades.cron must be a Quartz cron expression");
        assertRejected("grades.enabled", "yes", "grades.enabled must be true or false, but is 'yes'");
        assertRejected("grades.poll-days-after-end", "-1", "grades.poll-days-after-end must be a whole number");
        assertRejected("grades.completion-recheck", "daily", "grades.completion-recheck");
        assertRejected("sync.moodle-calls-adaptive", "maybe", "sync.moodle-calls-adaptive must be true or false");
        assertRejected("management.port", "0", "management.port must be a port number from 1 to 65535");
        assertRejected("dead-letters.http-port", "70000", "dead-letters.http-port must be a port number");
        assertRejected("retry.multiplier", "0.5", "retry.multiplier must be a number from 1 to 100");
        assertRejected("retry.maximum-delay-ms", "500", "retry.maximum-delay-ms must not be less than"
                + " retry.initial-delay-ms (1000)");
        assertRejected("sync.page-size", "99999999999", "sync.page-size must be a positive whole number");
        assertRejected("sync.poll-period-ms", "0", "sync.poll-period-ms must be a positive whole number");
        assertRejected("log.format", "xml", "log.format must be text or json");
        assertRejected("changes.cancelled-booking", "delete", "changes.cancelled-booking must be suspend, unenrol or keep");
        assertRejected("changes.max-removals-per-poll", "0", "changes.max-removals-per-poll must be a positive whole number");
        properties.put("changes.cancelled-booking", "UNENROL");
        assertThat(Settings.read(properties::get).changes().cancelledBooking()).isEqualTo(CancellationMapper.Action.UNENROL);
        assertRejected("sql.location", "sql", "sql.location must start with classpath: or file:");
        assertRejected("sql.location", "classpath:no-such-folder", "sql.location must name the folder holding");
        properties.put("retry.maximum-redeliveries", "0");
        assertThat(Settings.read(properties::get).retry().maximumRedeliveries()).isZero();
    }

    @Test
    void theManagementServerListensOnThisMachineOnlyUnlessToldOtherwise() {
        assertThat(Settings.read(properties::get).operations().managementHost()).isEqualTo("127.0.0.1");
        properties.put("management.host", "0.0.0.0");
        assertThat(Settings.read(properties::get).operations().managementHost()).isEqualTo("0.0.0.0");

        assertRejected("management.host", "http://0.0.0.0:9090", "management.host must be an IP address to listen on");
        assertRejected("management.host", "", "management.host is missing (environment variable MANAGEMENT_HOST).");
        assertRejected("camel.server.host", "every address", "camel.server.host must be an IP address to listen on");
    }

    @Test
    void withTheOperatorsServerOnThePasswordIsAtLeastTwelveCharacters() {
        properties.put("camel.server.enabled", "true");
        properties.put("dead-letters.password", "operator-password");
        assertThat(Settings.read(properties::get).operators().password()).isEqualTo("operator-password");

        assertRejected("dead-letters.password", "11-chars-pw", "dead-letters.password is shorter than 12 characters");
    }

    @Test
    void theInstanceIdIsTheHostAndProcessUnlessSet() {
        properties.put("sync.instance-id", "");
        String byDefault = Settings.read(properties::get).sync().instanceId();

        assertThat(byDefault).endsWith("-" + ProcessHandle.current().pid()).doesNotStartWith("-");
        assertThat(Settings.read(properties::get).sync().instanceId()).as("worked out once").isSameAs(byDefault);
        properties.put("sync.instance-id", " sync-leeds-1 ");
        assertThat(Settings.read(properties::get).sync().instanceId()).isEqualTo("sync-leeds-1");
    }

    @Test
    void theTokenIsNeverPartOfAMessage() {
        properties.put("moodle.category-id", "x");

        assertThatThrownBy(() -> Settings.read(properties::get))
                .message().doesNotContain("0123456789abcdef0123456789abcdef");
        properties.put("moodle.category-id", "2");
        properties.put("dead-letters.password", "s3cret-password");
        assertThat(Settings.read(properties::get).toString())
                .doesNotContain("0123456789abcdef").doesNotContain("s3cret-password");
    }

    private void assertRejected(String name, String value, String sentence) {
        Map<String, String> saved = new HashMap<>(properties);
        properties.put(name, value);
        assertThatThrownBy(() -> Settings.read(properties::get))
                .as(name + "=" + value)
                .isInstanceOf(Settings.InvalidSettingException.class)
                .hasMessageStartingWith(sentence)
                // One sentence, on one line, naming the environment variable too.
                .hasMessageContaining("environment variable " + Settings.environmentVariable(name))
                .hasMessageEndingWith(".")
                .message().doesNotContain("\n").doesNotContainPattern("[.:]\\s+[A-Z]");
        properties.clear();
        properties.putAll(saved);
    }
}
