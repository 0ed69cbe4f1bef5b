package org.apitmoodle;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
        return new HikariDataSource(config);
    }

    public static void migrate(HikariDataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
