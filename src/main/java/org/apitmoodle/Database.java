package org.apitmoodle;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The accessplanit database: a connection pool, and the integration's own schema brought up to date by Flyway at
 * start-up. The integration's tables live in a schema of their own (db.schema); the accessplanit tables are the
 * customer's, and are never created or altered.
 */
public final class Database {

    private Database() {
    }

    /**
     * A pool whose every connection finds the integration's schema first, then the schemas of the database user's
     * own search_path (where accessplanit's tables are, usually public). The SQL, Quartz and the routes use
     * unqualified table names, so they find both.
     *
     * <p>In a dry run ({@code dryRun}) no connection commits: every statement runs (the claims, the write-backs,
     * the dead letters, the heartbeats) and is rolled back when its connection goes back to the pool. This is the
     * dry run's one interception of the database's writes (with {@link #forWrites}, which also ignores a commit
     * asked for outright); what reaches Moodle is intercepted in call-moodle. Work that must last even so (Flyway's
     * migrations, the views made at start, Quartz's own tables) commits itself.
     */
    public static HikariDataSource open(String url, String user, String password, int poolSize, String schema,
            boolean dryRun) {
        HikariConfig config = new HikariConfig();
        // Hikari rolls back what a connection did uncommitted when it is returned. Its own statements (the
        // search_path below) are committed even so, or the rollback would undo them.
        config.setAutoCommit(!dryRun);
        config.setIsolateInternalQueries(true);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("accessplanit");
        config.setConnectionInitSql(searchPathSql(schema));
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            // The pool fails fast when it cannot connect: said in one sentence, unreachable, no such database or
            // login refused.
            throw DatabaseConnectionFailure.of(url, user, e);
        }
    }

    /**
     * The pool as the routes and the beans write through it. In a dry run its connections also ignore a commit
     * asked for outright: Camel's sql component commits a batch statement itself (batch=true: the write-backs, the
     * grades), which would make those writes last. Flyway, the views made at start and Quartz use the pool itself
     * and commit their own work.
     */
    public static DataSource forWrites(HikariDataSource pool, boolean dryRun) {
        if (!dryRun) {
            return pool;
        }
        return (DataSource) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    return result instanceof Connection connection ? neverCommitting(connection) : result;
                });
    }

    /**
     * {@code connection}, but commit() does nothing and auto-commit stays off (turning it on commits too). Its
     * statements name it as their connection: Camel commits through the statement's.
     */
    private static Connection neverCommitting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")
                            || method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
                        return null;
                    }
                    Object result = invoke(connection, method, args);
                    if (result instanceof Statement statement && method.getReturnType().isInterface()) {
                        return Proxy.newProxyInstance(Database.class.getClassLoader(),
                                new Class<?>[] {method.getReturnType()},
                                (statementProxy, statementMethod, statementArgs) ->
                                        statementMethod.getName().equals("getConnection") ? proxy
                                                : invoke(statement, statementMethod, statementArgs));
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The statement that puts {@code schema} in front of the connection's search_path. */
    static String searchPathSql(String schema) {
        return "SELECT set_config('search_path', '" + quoted(schema) + ", ' || current_setting('search_path'), false)";
    }

    /**
     * Brings the integration's own tables (db/migration) up to date in {@code schema}, creating the schema when it
     * is missing. Flyway owns that schema only (its history table is there too); it never looks at the schema
     * that holds the accessplanit tables, so a database full of other tables is no obstacle.
     */
    public static void migrate(HikariDataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** The schema name as a quoted identifier; the name holds only letters, digits and _ (see Settings). */
    private static String quoted(String schema) {
        if (!schema.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Not a schema name: " + schema);
        }
        return "\"" + schema + "\"";
    }
}
