package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apitmoodle.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The views made at every start (WaitingViews): made again as they are, made again when an engineer removed a
 * field's column, and made while another instance's polls read them.
 */
class WaitingViewsTest {

    private TestDatabase db;
    private HikariDataSource pool;

    @BeforeEach
    void database() {
        db = TestDatabase.recreate(TestDatabase.PREFIX + "waiting_views").withAccessplanitTables();
        pool = Database.open(db.url(), "postgres", "", 4, TestDatabase.INTEGRATION_SCHEMA, false);
        Database.migrate(pool, TestDatabase.INTEGRATION_SCHEMA);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aFieldsColumnRemovedIsGoneAndTheViewsThatReadItAreMadeAgain() throws Exception {
        Function<String, String> shipped = WaitingViewsTest::shipped;
        WaitingViews.create(pool, shipped);
        WaitingViews.create(pool, shipped);
        assertThat(columns("user_fields")).containsExactly("user_id", "firstname", "lastname", "email");

        WaitingViews.create(pool, name -> name.equals("fields/user.sql")
                ? shipped.apply(name).replace(",\n       u.email     AS email", "") : shipped.apply(name));

        assertThat(columns("user_fields")).containsExactly("user_id", "firstname", "lastname");
        assertThat(db.count("SELECT count(*) FROM " + TestDatabase.INTEGRATION_SCHEMA + ".waiting_user_update"))
                .as("made again after the drop").isZero();
        assertThat(db.count("SELECT count(*) FROM " + TestDatabase.INTEGRATION_SCHEMA + ".waiting")).isZero();
    }

    @Test
    void aStartWhileAnotherInstanceReadsTheViewsWaitsForItAndSucceeds() throws Exception {
        Function<String, String> shipped = WaitingViewsTest::shipped;
        WaitingViews.create(pool, shipped);
        // Another instance's poll, in a transaction that reads the views (and so holds their locks) a while.
        try (Connection reader = pool.getConnection(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM waiting").close();
            CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
                try {
                    WaitingViews.create(pool, shipped);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The reader then reads a fields view too, as a claim does, while the start waits for its locks. When
            // PostgreSQL ends one of the two for a deadlock, either may be the one: a poll fails and comes again at
            // its next tick, a start is made again.
            try {
                statement.executeQuery("SELECT count(*) FROM user_fields").close();
                reader.commit();
            } catch (java.sql.SQLException deadlock) {
                assertThat(deadlock.getSQLState()).isEqualTo("40P01");
                reader.rollback();
            }
            start.get(60, TimeUnit.SECONDS);
        }
        assertThat(columns("user_fields")).contains("firstname");
    }

    private List<String> columns(String view) {
        return db.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position", TestDatabase.INTEGRATION_SCHEMA, view)
                .stream().map(row -> row.get("column_name").toString()).toList();
    }

    /** A shipped SQL file, its settings ({{...}}) as shipped. */
    private static String shipped(String name) {
        try (InputStream in = WaitingViewsTest.class.getResourceAsStream("/sql/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{changes.update-users}}", "true").replace("{{changes.update-courses}}", "true")
                    .replace("{{changes.groups}}", "true").replace("{{changes.cancelled-booking}}", "suspend")
                    .replace("{{course-dates.enabled}}", "true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
