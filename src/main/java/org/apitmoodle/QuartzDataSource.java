package org.apitmoodle;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Lends the application's connection pool to Quartz's JDBC job store, so Quartz keeps its schedule in the same
 * PostgreSQL database with the same settings (db.*) and no second pool. quartz.properties names it in
 * org.quartz.jobStore.dataSource.
 */
public final class QuartzDataSource implements ConnectionProvider {

    private final DataSource dataSource;

    private QuartzDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Registers the pool with Quartz under {@code name}; must happen before the Quartz scheduler starts. */
    public static void register(String name, DataSource dataSource) {
        DBConnectionManager.getInstance().addConnectionProvider(name, new QuartzDataSource(dataSource));
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // The pool belongs to the application, which closes it after the routes and Quartz have stopped.
    }

    @Override
    public void initialize() {
        // Nothing to set up: the pool is open already.
    }
}
