package org.apitmoodle;

import java.nio.file.Files;
import java.nio.file.Path;

/** db.* and sql.location: the accessplanit database and the SQL that reads and writes it. */
public record DatabaseSettings(String url, String user, String password, int poolSize, String schema, String sqlLocation) {

    /** A file every SQL location must hold. */
    private static final String SQL_FILE = "claim-new-users.sql";

    public static DatabaseSettings read(SettingsReader settings) {
        String url = settings.required("db.url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw settings.invalid("db.url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database),"
                    + " but is '" + url + "'");
        }
        return new DatabaseSettings(url,
                settings.optional("db.user"),
                settings.optional("db.password"),
                settings.positiveInt("db.pool-size", "the number of database connections"),
                schema(settings),
                sqlLocation(settings));
    }

    /** db.schema: the schema of the integration's own tables, apit_sync unless set. */
    private static String schema(SettingsReader settings) {
        String schema = settings.optional("db.schema");
        if (schema.isEmpty()) {
            return Settings.DEFAULT_DB_SCHEMA;
        }
        if (!schema.matches("[A-Za-z0-9_]{1,63}")) {
            throw settings.invalid("db.schema", "may hold only letters, digits and _ (at most 63 of them), but is '"
                    + schema + "'");
        }
        return schema;
    }

    private static String sqlLocation(SettingsReader settings) {
        String location = settings.required("sql.location");
        String directory = location.replaceFirst("^(classpath|file):", "");
        boolean found;
        if (location.startsWith("classpath:")) {
            String path = (directory.endsWith("/") ? directory : directory + "/") + SQL_FILE;
            found = Settings.class.getClassLoader().getResource(path.replaceFirst("^/+", "")) != null;
        } else if (location.startsWith("file:")) {
            found = Files.isRegularFile(Path.of(directory, SQL_FILE));
        } else {
            throw settings.invalid("sql.location", "must start with classpath: or file:, like classpath:sql or"
                    + " file:/etc/apit-sync/sql, but is '" + location + "'");
        }
        if (!found) {
            throw settings.invalid("sql.location", "must name the folder holding the integration's SQL files ("
                    + SQL_FILE + " and the others), but '" + location + "' has no " + SQL_FILE);
        }
        return location;
    }
}
