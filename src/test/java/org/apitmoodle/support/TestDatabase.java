package org.apitmoodle.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A database of its own for one test class, on the PostgreSQL server that runs on this machine. */
public final class TestDatabase {

    private static final String SERVER = System.getProperty("test.db.server", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getProperty("test.db.user", "postgres");
    /** Test databases are named prefix + test class; a second checkout running tests at the same time sets its own. */
    public static final String PREFIX = System.getProperty("test.db.prefix", "apit_it_");

    /** The schema of the integration's own tables: application.properties' db.schema, which the tests keep. */
    public static final String INTEGRATION_SCHEMA = "apit_sync";
    /** The accessplanit tables, as a customer's database has them before the integration first starts. */
    public static final String ACCESSPLANIT_TABLES = "/demo/accessplanit-tables.sql";

    private final String name;
    private final String url;

    private TestDatabase(String name) {
        this.name = name;
        this.url = SERVER + name;
    }

    /**
     * Drops and creates the database, empty. Tests then make the accessplanit tables ({@link #ACCESSPLANIT_TABLES})
     * before the application starts; its Flyway migrations make the integration's own schema.
     */
    public static TestDatabase recreate(String name) {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name
                    + " (is PostgreSQL running on 127.0.0.1:5432?)", e);
        }
        return new TestDatabase(name);
    }

    /** A database made by someone else (the demo makes its own). */
    public static TestDatabase existing(String name) {
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    /** The database's JDBC URL, as an operator would set db.url. */
    public String url() {
        return url;
    }

    /**
     * The URL of the tests' own connections: they find the integration's tables first, then public's, as the
     * application's pooled connections do, so a test names tables unqualified as the application's SQL does.
     */
    public String queryUrl() {
        return url + "?currentSchema=" + INTEGRATION_SCHEMA + ",public";
    }

    /** Runs an SQL script from the classpath (several statements) in one go. */
    public void runScript(String resource) {
        String sql;
        try (InputStream in = TestDatabase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource);
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    /** Makes the accessplanit tables in public, empty. */
    public TestDatabase withAccessplanitTables() {
        runScript(ACCESSPLANIT_TABLES);
        return this;
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single value of a query, or null when it returns no row. */
    public Object value(String sql, Object... parameters) {
        List<Map<String, Object>> rows = rows(sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public long count(String sql, Object... parameters) {
        return ((Number) value(sql, parameters)).longValue();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(queryUrl(), USER, "");
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
