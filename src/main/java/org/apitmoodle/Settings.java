package org.apitmoodle;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;
import org.apitmoodle.sync.UserMapper;

/**
 * The settings the integration cannot run without, checked once at start-up: a missing or malformed one stops
 * start-up with one sentence naming it. The token is never part of a message.
 */
public record Settings(
        String moodleUrl,
        String moodleToken,
        long categoryId,
        long roleId,
        String shortnamePrefix,
        String idnumberPrefix,
        String usernamePrefix,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String dbSchema) {

    /** The schema of the integration's own tables when db.schema is not set. */
    public static final String DEFAULT_DB_SCHEMA = "apit_sync";

    /** How to run the demo from a checkout of this project (README, "The two commands"). */
    public static final String DEMO_COMMAND = "mvn -q test-compile exec:java";

    /** Thrown when a setting is missing or malformed; its message names the setting. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        public InvalidSettingException(String message) {
            super(message);
        }
    }

    public static Settings read(Function<String, String> property) {
        Reader settings = new Reader(property);
        String url = settings.optional("moodle.url");
        if (url.isEmpty()) {
            throw new InvalidSettingException("moodle.url is missing: set it to your Moodle site's address, like"
                    + " https://moodle.example.org (environment MOODLE_URL). To try the integration without a Moodle,"
                    + " run the demo: " + DEMO_COMMAND);
        }
        url = checkUrl(url);
        String token = settings.optional("moodle.token");
        if (token.isEmpty()) {
            throw new InvalidSettingException("moodle.token is missing: set it to the web-service token Moodle made"
                    + " for the integration user (see README, \"Setting up Moodle\").");
        }
        String usernamePrefix = settings.optional("moodle.user.username-prefix");
        if (!UserMapper.isValidPrefix(usernamePrefix)) {
            throw new InvalidSettingException("moodle.user.username-prefix may hold only letters, digits and _ . @ -"
                    + " (Moodle's rule for usernames), but is '" + usernamePrefix + "'.");
        }
        String dbUrl = settings.required("db.url");
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("db.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database),"
                    + " but is '" + dbUrl + "'.");
        }
        String dbSchema = settings.optional("db.schema");
        if (dbSchema.isEmpty()) {
            dbSchema = DEFAULT_DB_SCHEMA;
        } else if (!dbSchema.matches("[A-Za-z0-9_]{1,63}")) {
            throw new InvalidSettingException("db.schema may hold only letters, digits and _ (at most 63 of them),"
                    + " but is '" + dbSchema + "'.");
        }
        return new Settings(url, token,
                settings.positiveNumber("moodle.category-id", "the id in the category's edit URL in Moodle"),
                settings.positiveNumber("moodle.role-id", "the id in the role's edit URL in Moodle; 5 is student"),
                settings.optional("moodle.course.shortname-prefix"),
                settings.optional("moodle.course.idnumber-prefix"),
                usernamePrefix.toLowerCase(Locale.ROOT),
                dbUrl,
                settings.optional("db.user"),
                settings.optional("db.password"),
                (int) settings.positiveNumber("db.pool-size", "the number of database connections"),
                dbSchema);
    }

    /** A setting that must be a positive whole number; a missing or malformed one stops start-up naming it. */
    public static int positiveWholeNumber(Function<String, String> property, String name, String meaning) {
        return (int) new Reader(property).positiveNumber(name, meaning);
    }

    private static String checkUrl(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidSettingException("moodle.url must be the Moodle site's address, like https://moodle.example.org,"
                + " but is '" + url + "'.");
    }

    private record Reader(Function<String, String> property) {

        String optional(String name) {
            String value = property.apply(name);
            return value == null ? "" : value.strip();
        }

        String required(String name) {
            String value = optional(name);
            if (value.isEmpty()) {
                throw new InvalidSettingException(name + " is missing.");
            }
            return value;
        }

        long positiveNumber(String name, String meaning) {
            String value = required(name);
            try {
                long number = Long.parseLong(value);
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettingException(name + " must be a positive whole number (" + meaning + "), but is '"
                    + value + "'.");
        }
    }
}
