package org.apitmoodle.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's accessplanit data: {@code bookings} new users, each booked once onto one of
 * {@code bookings / 50} classroom courses ticked "Sync to Moodle" (50 delegates a course). Every 100th user is bad
 * data the sync refuses before any Moodle call: half have a malformed email (no @), half an empty surname. They
 * are spread evenly, as bad rows are in real data, so about every other batch of 50 users holds one.
 * {@link #clean(int)} makes the same bookings without bad data.
 */
final class BenchmarkBookings {

    static final int DELEGATES_PER_COURSE = 50;
    static final int BAD_EVERY = 100;

    final int bookings;
    final int courses;
    final int badUsers;
    /** Every how many users one is bad data; 0: none. */
    private final int badEvery;

    BenchmarkBookings(int bookings) {
        this(bookings, BAD_EVERY);
        if (bookings < BAD_EVERY) {
            throw new IllegalArgumentException("benchmark.bookings must be at least " + BAD_EVERY + ", not " + bookings);
        }
    }

    private BenchmarkBookings(int bookings, int badEvery) {
        this.bookings = bookings;
        this.courses = (bookings + DELEGATES_PER_COURSE - 1) / DELEGATES_PER_COURSE;
        this.badEvery = badEvery;
        this.badUsers = badEvery == 0 ? 0 : bookings / badEvery;
    }

    /** The same bookings, every user good data. */
    static BenchmarkBookings clean(int bookings) {
        if (bookings < 1) {
            throw new IllegalArgumentException("at least one booking, not " + bookings);
        }
        return new BenchmarkBookings(bookings, 0);
    }

    int goodUsers() {
        return bookings - badUsers;
    }

    /** Bookings of good users: each becomes an enrolment. A bad user's booking waits for its user, for ever. */
    int goodEnrolments() {
        return goodUsers();
    }

    /** Writes everything in one transaction (users before their bookings), so the sync sees it all at once. */
    void insert(String url) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);
            update(db, """
                    INSERT INTO course_templates (id, name, aims)
                    SELECT g, 'Template ' || g, '<p>Aims of classroom course ' || g || '</p>'
                    FROM generate_series(1, ?) g""", courses);
            update(db, """
                    INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle)
                    SELECT g, g, 'Classroom course ' || g, 'CLASSROOM',
                           timestamptz '2027-03-01 09:00:00Z' + g * interval '1 day',
                           timestamptz '2027-03-01 17:00:00Z' + g * interval '1 day', true
                    FROM generate_series(1, ?) g""", courses);
            update(db, """
                    INSERT INTO users (id, forenames, surname, email)
                    SELECT g, 'Delegate',
                           CASE WHEN g % NULLIF(2 * ?, 0) = ? THEN '' ELSE 'Number ' || g END,
                           CASE WHEN g % NULLIF(2 * ?, 0) = 0 THEN 'delegate' || g || '.example.org'
                                ELSE 'delegate' || g || '@example.org' END
                    FROM generate_series(1, ?) g""", badEvery, badEvery, badEvery, bookings);
            update(db, """
                    INSERT INTO delegates (id, user_id, course_id, status)
                    SELECT g, g, (g - 1) % ? + 1, 'BOOKED'
                    FROM generate_series(1, ?) g""", courses, bookings);
            db.commit();
        }
    }

    /**
     * Where the sync stands: records done and failed per entity, claims in progress, records claimed again (their
     * lease ran out before they were finished, so they were sent again), open dead-letter entries.
     */
    static Map<String, Long> progress(String url) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement query = db.prepareStatement("""
                        SELECT count(*) FILTER (WHERE entity_type = 'course' AND state = 'DONE')    AS courses_done,
                               count(*) FILTER (WHERE entity_type = 'user' AND state = 'DONE')      AS users_done,
                               count(*) FILTER (WHERE entity_type = 'enrolment' AND state = 'DONE') AS enrolments_done,
                               count(*) FILTER (WHERE entity_type = 'user' AND state = 'FAILED')    AS users_failed,
                               count(*) FILTER (WHERE entity_type <> 'user' AND state = 'FAILED')   AS others_failed,
                               count(*) FILTER (WHERE state = 'IN_PROGRESS')                        AS in_progress,
                               count(*) FILTER (WHERE attempts > 1)                                 AS claimed_again,
                               (SELECT count(*) FROM dead_letter d JOIN users u ON u.id = d.entity_id
                                 WHERE d.state = 'OPEN' AND d.entity_type = 'user' AND u.id % ? = 0
                                   AND d.error_code IN ('invalidemail', 'nosurname'))          AS bad_dead_lettered,
                               (SELECT count(*) FROM dead_letter WHERE state = 'OPEN')              AS dead_letters
                        FROM sync_state""")) {
            query.setInt(1, BAD_EVERY);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                Map<String, Long> progress = new LinkedHashMap<>();
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    progress.put(row.getMetaData().getColumnLabel(i), row.getLong(i));
                }
                return progress;
            }
        }
    }

    private static void update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
