package org.apitmoodle.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.ProducerTemplate;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.support.TestDatabase;
import org.awaitility.Awaitility;

/**
 * The reconcile at scale: {@code courses} Moodle courses of {@code learners} learners each, synced long ago (made in
 * SQL and in the emulator at once), on the 8-core model. Three runs, each on a fresh database and emulator: the
 * reconcile alone; a first sync of {@code bookings} new bookings alone; the same first sync with a reconcile started
 * beside it. The sync's wall time beside the reconcile against alone is the cost the reconcile puts on it.
 */
final class DriftAtScale {

    static final long FIRST_COURSE = 100_001;
    static final long FIRST_USER = 1_000_001;
    static final long FIRST_DELEGATE = 10_000_001;
    private static final String TOKEN = "benchmark-token-0123456789abcdef";

    final int courses;
    final int learners;
    final int bookings;

    /** What one run showed. */
    record Result(long syncMillis, long reconcileMillis, long reconcileCalls, long findings, long peakHeap,
                  boolean synced) {
    }

    DriftAtScale(int courses, int learners, int bookings) {
        this.courses = courses;
        this.learners = learners;
        this.bookings = bookings;
    }

    /** Reconcile alone (bookings false), sync alone (reconcile false), or both at once. */
    Result run(String databaseName, boolean withBookings, boolean withReconcile) throws Exception {
        TestDatabase database = TestDatabase.recreate(databaseName).withAccessplanitTables();
        BenchmarkBookings newBookings = BenchmarkBookings.clean(bookings);
        try (MoodleEmulator moodle = MoodleEmulator.start(0, TOKEN)) {
            moodle.setLatencyModel(LatencyModel.EIGHT_CORES);
            moodle.site().loadEnrolledCourses(FIRST_COURSE, courses, FIRST_USER, learners, "APIT-C-", "apit.", 5);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("db.url", database.url());
            settings.put("moodle.url", moodle.url());
            settings.put("moodle.allow-insecure-http", "true");
            settings.put("moodle.token", TOKEN);
            settings.put("moodle.category-id", "2");
            settings.put("moodle.role-id", "5");
            settings.put("sync.poll-period-ms", "500");
            settings.put("sync.instance-id", "benchmark-drift");
            settings.put("grades.enabled", "false");
            // The courses made in SQL have no note of their dates or fields: the same in every run, none is sent.
            settings.put("course-dates.enabled", "false");
            settings.put("changes.update-users", "false");
            settings.put("changes.update-courses", "false");
            settings.put("drift.enabled", "false");
            SyncBenchmark.HeapWatch heap = SyncBenchmark.HeapWatch.start();
            try (RunningSync sync = RunningSync.start(settings, new MoodleCallClock())) {
                insert(database.queryUrl());
                int callsBefore = moodle.calls().size();
                long start = System.nanoTime();
                CompletableFuture<Long> reconcile = CompletableFuture.completedFuture(0L);
                if (withReconcile) {
                    ProducerTemplate producer = sync.main().getCamelContext().createProducerTemplate();
                    reconcile = CompletableFuture.supplyAsync(() -> {
                        producer.sendBody("direct:reconcile-drift", null);
                        return (System.nanoTime() - start) / 1_000_000;
                    });
                }
                long syncMillis = 0;
                boolean synced = true;
                if (withBookings) {
                    newBookings.insert(database.queryUrl());
                    Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(100))
                            .until(() -> BenchmarkBookings.progress(database.queryUrl()).get("enrolments_done")
                                    == newBookings.goodEnrolments() + (long) courses * learners);
                    syncMillis = (System.nanoTime() - start) / 1_000_000;
                }
                // Beside a sync, what counts is the sync's time: the reconcile, still giving way or reading, is
                // stopped with the application (its figures are the reconcile-alone run's).
                long reconcileMillis = withBookings ? 0 : reconcile.get();
                heap.stop();
                long calls = 0;
                long findings = 0;
                if (withReconcile) {
                    try (Connection db = DriverManager.getConnection(database.queryUrl(), "postgres", "");
                         var rows = db.createStatement().executeQuery("SELECT moodle_calls, findings, state"
                                 + " FROM apit_sync.drift_reconcile")) {
                        rows.next();
                        calls = rows.getLong(1);
                        findings = rows.getLong(2);
                        synced &= withBookings || rows.getString(3).equals("DONE");
                    }
                }
                return new Result(syncMillis, reconcileMillis, calls, findings, heap.peakSampled(), synced);
            } finally {
                heap.stop();
            }
        }
    }

    /** The integration's side of what the emulator holds: users, courses, bookings, record and claims. */
    private void insert(String url) throws SQLException {
        int people = courses * learners;
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);
            update(db, "INSERT INTO course_templates (id, name, aims) SELECT g, 'Template ' || g, 'aims'"
                    + " FROM generate_series(?::bigint, ?::bigint) g", FIRST_COURSE, FIRST_COURSE + courses - 1);
            update(db, "INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle,"
                    + " moodle_id) SELECT g, g, 'Course ' || g, 'CLASSROOM', now(), now() + interval '1 day', true, g"
                    + " FROM generate_series(?::bigint, ?::bigint) g", FIRST_COURSE, FIRST_COURSE + courses - 1);
            update(db, "INSERT INTO users (id, forenames, surname, email, moodle_id) SELECT g, 'Learner', 'Number '"
                    + " || g, 'learner' || g || '@example.org', g FROM generate_series(?::bigint, ?::bigint) g",
                    FIRST_USER, FIRST_USER + people - 1);
            update(db, "INSERT INTO delegates (id, user_id, course_id, status) SELECT ?::bigint + n, ?::bigint + n,"
                    + " ?::bigint + n / ?, 'BOOKED' FROM generate_series(0, ? - 1) n",
                    FIRST_DELEGATE, FIRST_USER, FIRST_COURSE, learners, people);
            update(db, "INSERT INTO apit_sync.moodle_enrolment (delegate_id, course_id, moodle_user_id,"
                    + " moodle_course_id, state) SELECT id, course_id, user_id, course_id, 'ACTIVE' FROM delegates"
                    + " WHERE id >= ?", FIRST_DELEGATE);
            update(db, "INSERT INTO apit_sync.sync_state (entity_type, entity_id, state) SELECT 'enrolment', id,"
                    + " 'DONE' FROM delegates WHERE id >= ? UNION ALL SELECT 'user', id, 'DONE' FROM users"
                    + " WHERE id >= ? UNION ALL SELECT 'course', id, 'DONE' FROM courses WHERE id >= ?",
                    FIRST_DELEGATE, FIRST_USER, FIRST_COURSE);
            db.commit();
            db.setAutoCommit(true);
            db.createStatement().execute("ANALYZE");
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

    /** Runs the three, prints them, and answers whether the goals are met. */
    boolean report(String databaseName) throws Exception {
        System.out.printf(Locale.ROOT, "Drift reconcile over %,d courses of %,d learners (%,d enrolments), model"
                + " \"%s\"; a first sync of %,d bookings beside it ...%n", courses, learners, courses * learners,
                LatencyModel.EIGHT_CORES.name(), bookings);
        System.out.flush();
        Result alone = run(databaseName, false, true);
        System.out.printf(Locale.ROOT, "  reconcile alone: %.1f s, %,d Moodle calls (%.2f a course), %,d findings,"
                + " peak heap %d MiB%n", alone.reconcileMillis() / 1000.0, alone.reconcileCalls(),
                (double) alone.reconcileCalls() / courses, alone.findings(), alone.peakHeap() / (1024 * 1024));
        Result syncAlone = run(databaseName, true, false);
        System.out.printf(Locale.ROOT, "  first sync alone: %.1f s%n", syncAlone.syncMillis() / 1000.0);
        Result beside = run(databaseName, true, true);
        double ratio = (double) beside.syncMillis() / syncAlone.syncMillis();
        System.out.printf(Locale.ROOT, "  first sync beside a reconcile: %.1f s (%.2f x alone); meanwhile the"
                + " reconcile made %,d calls and noted %,d findings; peak heap %d MiB%n%n",
                beside.syncMillis() / 1000.0, ratio, beside.reconcileCalls(), beside.findings(),
                beside.peakHeap() / (1024 * 1024));
        boolean met = SyncBenchmark.goal(alone.synced() && alone.findings() == 0 && beside.findings() == 0
                        && beside.synced(), String.format(Locale.ROOT, "reconcile of %,d courses: complete, no"
                        + " finding where nothing drifted, %,d calls (at most %d per course and 1 per %d accounts)",
                courses, alone.reconcileCalls(), 2, 100));
        met &= SyncBenchmark.goal(ratio <= 1.10, String.format(Locale.ROOT, "a first sync beside a reconcile is"
                + " at most 10%% slower: %.2f x", ratio));
        return met;
    }
}
