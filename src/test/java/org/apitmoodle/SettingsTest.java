package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "moodle.url", "https://moodle.example.org/",
            "moodle.token", "0123456789abcdef0123456789abcdef",
            "moodle.category-id", "2",
            "moodle.role-id", "5",
            "moodle.user.username-prefix", "apit.",
            "db.url", "jdbc:postgresql://127.0.0.1:5432/accessplanit",
            "db.pool-size", "5"));

    @Test
    void readsTheSettings() {
        Settings settings = Settings.read(properties::get);

        assertThat(settings.moodleUrl()).isEqualTo("https://moodle.example.org");
        assertThat(settings.categoryId()).isEqualTo(2);
        assertThat(settings.roleId()).isEqualTo(5);
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
                .hasMessageEndingWith("run the demo: mvn -q test-compile exec:java");
    }

    @Test
    void aMissingOrMalformedSettingStopsStartUpWithOneSentenceNamingIt() {
        assertRejected("moodle.category-id", "abc", "moodle.category-id must be a positive whole number");
        assertRejected("moodle.category-id", "", "moodle.category-id is missing.");
        assertRejected("moodle.role-id", "-5", "moodle.role-id must be a positive whole number");
        assertRejected("moodle.url", "moodle.example.org", "moodle.url must be the Moodle site's address");
        assertRejected("moodle.url", " ", "moodle.url is missing");
        assertRejected("moodle.token", "", "moodle.token is missing");
        assertRejected("db.url", "jdbc:mysql://localhost/x", "db.url must be a PostgreSQL JDBC URL");
        assertRejected("moodle.user.username-prefix", "apit user ", "moodle.user.username-prefix may hold only");
        assertRejected("db.schema", "apit\"; DROP TABLE users; --", "db.schema may hold only letters, digits and _");
        assertRejected("db.schema", "apit.sync", "db.schema may hold only letters, digits and _");
    }

    @Test
    void theTokenIsNeverPartOfAMessage() {
        properties.put("moodle.category-id", "x");

        assertThatThrownBy(() -> Settings.read(properties::get))
                .message().doesNotContain("0123456789abcdef0123456789abcdef");
    }

    private void assertRejected(String name, String value, String sentence) {
        Map<String, String> saved = new HashMap<>(properties);
        properties.put(name, value);
        assertThatThrownBy(() -> Settings.read(properties::get))
                .isInstanceOf(Settings.InvalidSettingException.class)
                .hasMessageStartingWith(sentence);
        properties.clear();
        properties.putAll(saved);
    }
}
