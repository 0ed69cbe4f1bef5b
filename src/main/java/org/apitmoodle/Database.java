package org.apitmoodle;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;

/** The accessplanit database: a connection pool, and the schema brought up to date by Flyway at start-up. */
public final class Database {

    private Database() {
    }

    public static HikariDataSource open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("accessplanit");
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            // The pool fails fast when it cannot connect: said in one sentence, unreachable, no such database or
            // login refused.
            throw DatabaseConnectionFailure.of(url, user, e);
        }
    }

    /**
     * Brings the integration's own tables up to date (db/migration), and makes the accessplanit tables in the shape
     * the SQL expects (db/accessplanit) when {@code accessplanitTables} is set: for the demo and the tests, never
     * against a real accessplanit database, whose tables exist already.
     */
    public static void migrate(HikariDataSource dataSource, boolean accessplanitTables) {
        var flyway = Flyway.configure().dataSource(dataSource);
        if (accessplanitTables) {
            flyway.locations("classpath:db/accessplanit", "classpath:db/migration");
        } else {
            // A database once made with the accessplanit tables has V1 in its history: that is not an error.
            flyway.locations("classpath:db/migration").ignoreMigrationPatterns("*:missing");
        }
        flyway.load().migrate();
    }
}
